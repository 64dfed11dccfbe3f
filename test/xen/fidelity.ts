// The fidelity check: every command recorded during the real-Xen run (the provider's and the user's own, in dom0 or
// over ssh) is replayed, in order, against the simulated host started from the lab's inventory, so the simulator passes through
// the same states; each command's real output is compared with the simulator's, per command type.
//
// Normalised, because two real runs differ in them too: uuids, `xl list` state letters and CPU times, the boot log
// behind `xl dmesg` (only the fact the provider reads from it is compared), `xl info` cpu_mhz (QEMU's TSC
// calibration against whichever host runs the lab), the tx-/rx-ring-ref columns of `xl network-list` (grant
// references the guest's netfront allocates from its own free list: a re-attached vif got 265/264 where the first
// got 520/521), `xl info` free_memory within FREE_SLACK_MIB (Xen grows a running guest's grant table and other
// per-domain frames lazily, as the guest uses them: the same state read a few seconds later showed 1 MiB less), and
// the path of the xl config file.
// Polling reads superseded by a later identical read before the next change are neither replayed nor compared: how
// many intermediate states a poll sees depends on timing. Commands the provider killed (timeout) are not replayed: their effect on
// the real host is unknown.

import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { interruptRemappingFromDmesg, parseXenstoreLs } from '../../provider/xen/parse';
import type { CommandRecord } from '../../provider/xen/record';

export interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const MUTATIONS = new Set([
  'create',
  'destroy',
  'shutdown',
  'mem-set',
  'vcpu-set',
  'pci-assignable-add',
  'pci-assignable-remove',
  'pci-attach',
  'pci-detach',
  'network-attach',
  'network-detach',
  'block-attach',
  'block-detach',
  'setenforce',
  'loadpolicy',
  'flask-label-pci',
]);

export interface Command {
  tool: 'xl' | 'xenstore-read' | 'xenstore-ls' | 'flask-label-pci';
  args: string[];
  /** `xl SUB` or the xenstore tool: the unit the report groups by. */
  kind: string;
  mutation: boolean;
}

export function classify(argv: readonly string[]): Command | undefined {
  const tool = path.basename(argv[0]);
  const args = argv.slice(1);
  if (tool === 'xenstore-read' || tool === 'xenstore-ls') return { tool, args, kind: tool, mutation: false };
  if (tool === 'flask-label-pci') return { tool, args, kind: tool, mutation: true };
  if (tool !== 'xl') return undefined;
  const sub = args[0] ?? '';
  const dry = sub === 'create' && args.includes('-n');
  const kind = dry ? 'xl create -n' : sub === 'list' && args.includes('-l') ? 'xl list -l' : `xl ${sub}`;
  return { tool, args, kind, mutation: MUTATIONS.has(sub) && !dry };
}

export function parseRecords(text: string): CommandRecord[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CommandRecord)
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Indices of the records to compare: reads not superseded by the same read before the next change. */
export function comparable(records: readonly CommandRecord[]): Set<number> {
  const keep = new Set<number>();
  const lastRead = new Map<string, number>();
  const flush = () => {
    for (const i of lastRead.values()) keep.add(i);
    lastRead.clear();
  };
  records.forEach((r, i) => {
    const c = classify(r.argv);
    if (!c || r.exitCode === null) return;
    // Seen once on the lab (2026-12-02): `xl dmesg` exited 255 printing nothing while other xl calls ran. A read of
    // the boot log that says nothing is nothing to model; the provider treats it as "unknown" (see hostInfo).
    if (c.kind === 'xl dmesg' && r.exitCode !== 0 && r.stdout === '' && r.stderr === '') return;
    if (c.mutation) {
      flush();
      keep.add(i);
    } else {
      lastRead.set(JSON.stringify(r.argv), i);
    }
  });
  flush();
  return keep;
}

export const FREE_SLACK_MIB = 4;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const IS_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function normaliseText(t: string): string {
  return t.replace(UUID, 'UUID').replace(/ ([r-])([b-])([p-])([s-])([c-])([d-]) +[0-9]+\.[0-9]/g, ' STATE TIME');
}

/** Field-by-field differences between two JSON values, as `path: real vs sim` lines. */
export function jsonDiff(real: unknown, sim: unknown, at = '$'): string[] {
  if (typeof real === 'string' && typeof sim === 'string' && IS_UUID.test(real) && IS_UUID.test(sim)) return [];
  if (Array.isArray(real) && Array.isArray(sim)) {
    const out: string[] = [];
    if (real.length !== sim.length)
      out.push(`${at}: ${real.length} elements in real xl, ${sim.length} in the simulator`);
    for (let i = 0; i < Math.min(real.length, sim.length); i++) out.push(...jsonDiff(real[i], sim[i], `${at}[${i}]`));
    return out;
  }
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(real) && isObj(sim)) {
    const out: string[] = [];
    for (const k of new Set([...Object.keys(real), ...Object.keys(sim)])) {
      if (!(k in sim)) out.push(`${at}.${k}: real xl has ${JSON.stringify(real[k])}, the simulator omits it`);
      else if (!(k in real)) out.push(`${at}.${k}: the simulator has ${JSON.stringify(sim[k])}, real xl omits it`);
      else out.push(...jsonDiff(real[k], sim[k], `${at}.${k}`));
    }
    return out;
  }
  return JSON.stringify(real) === JSON.stringify(sim)
    ? []
    : [`${at}: real ${JSON.stringify(real)}, simulator ${JSON.stringify(sim)}`];
}

function textDiff(what: string, real: string, sim: string): string[] {
  const a = normaliseText(real);
  const b = normaliseText(sim);
  if (a === b) return [];
  return [`${what} differs:\n      real: ${JSON.stringify(a)}\n      sim:  ${JSON.stringify(b)}`];
}

function tryJson(t: string): unknown {
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

/**
 * `xl info` lines that say which hypervisor build runs, not what it does: the FLASK lab boots a Xen built from
 * Debian's source package on the day (4.17.5 with a fresh build id and compile date, no Debian packager, shadow
 * paging built in), where the simulator models Debian's packaged 4.17.7.
 */
const BUILD_FIELDS = [
  'xen_extra',
  'xen_version',
  'cc_compiler',
  'cc_compile_by',
  'cc_compile_domain',
  'cc_compile_date',
  'build_id',
  'virt_caps',
];

export interface CompareOptions {
  /** The real host runs a self-built Xen (the FLASK lab): BUILD_FIELDS of `xl info` are not compared. */
  selfBuiltXen?: boolean;
}

/** Differences between the real outcome and the simulator's for one command (empty = same). */
export function compareOutcome(c: Command, real: Outcome, sim: Outcome, opts: CompareOptions = {}): string[] {
  const out: string[] = [];
  if (real.exitCode !== sim.exitCode) out.push(`exit code: real ${real.exitCode}, simulator ${sim.exitCode}`);
  if (c.kind === 'xl list -l' || c.kind === 'xl create -n') {
    const a = tryJson(real.stdout);
    const b = tryJson(sim.stdout);
    if (a === undefined || b === undefined) out.push(...textDiff('stdout', real.stdout, sim.stdout));
    else out.push(...jsonDiff(a, b));
  } else if (c.kind === 'xl dmesg') {
    const a = interruptRemappingFromDmesg(real.stdout);
    const b = interruptRemappingFromDmesg(sim.stdout);
    if (a !== b) out.push(`interrupt remapping from the boot log: real ${a}, simulator ${b}`);
  } else if (c.kind === 'xenstore-ls') {
    out.push(...jsonDiff(parseXenstoreLs(real.stdout), parseXenstoreLs(sim.stdout)));
  } else if (c.kind === 'xl info') {
    const free = (t: string) => Number(/^free_memory\s+:\s+(\d+)/m.exec(t)?.[1] ?? NaN);
    const [a, b] = [free(real.stdout), free(sim.stdout)];
    if (!(Math.abs(a - b) <= FREE_SLACK_MIB))
      out.push(`free_memory: real ${a}, simulator ${b} (more than ${FREE_SLACK_MIB} MiB apart)`);
    // dom0's kernel (release, version) is whatever Debian's archive ships on the day the lab is built, and the lab's
    // boot line may end in extra blanks: neither is something the provider reads or the simulator models.
    const norm = (t: string) =>
      t
        .replace(/^(cpu_mhz\s+:).*$/m, '$1 MHZ')
        .replace(/^(free_memory\s+:).*$/m, '$1 FREE')
        .replace(/^(release\s+:).*$/m, '$1 KERNEL')
        .replace(/^(version\s+:).*$/m, '$1 KERNEL')
        .replace(/^(xen_commandline\s+:.*?)\s*$/m, '$1')
        .replace(new RegExp(`^(${opts.selfBuiltXen ? BUILD_FIELDS.join('|') : '(?!)'})(\\s+:).*$`, 'gm'), '$1$2 BUILD');
    out.push(...textDiff('stdout', norm(real.stdout), norm(sim.stdout)));
  } else if (c.kind === 'xl network-list') {
    // Ring refs are grant references the guest picks; their digits, and so the padding after them, vary per run.
    const refs = (t: string) => t.replace(/ +[0-9]+\/[0-9]+ +(\/local\/)/g, ' REFS $1');
    out.push(...textDiff('stdout', refs(real.stdout), refs(sim.stdout)));
  } else {
    out.push(...textDiff('stdout', real.stdout, sim.stdout));
  }
  if (c.kind !== 'xl dmesg') out.push(...textDiff('stderr', real.stderr, sim.stderr));
  return out;
}

function runSim(argv: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(argv[0], argv.slice(1), { env, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      resolve({
        exitCode: e ? (typeof e.code === 'number' ? e.code : 125) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
      });
    });
  });
}

export interface FidelityOptions {
  /** Record files in the order their commands ran, each on one machine's clock (sorted within a file only). */
  records: string[];
  /** dist/xl-sim */
  xlSim: string;
  inventory: string;
  workDir: string;
  compare?: CompareOptions;
  /** Host files the simulator reads from a local copy (e.g. a compiled policy given to xl loadpolicy). */
  substitute?: Record<string, string>;
}

export interface FidelityResult {
  failures: number;
  compared: number;
  summary: string;
  report: string;
}

export async function runFidelity(o: FidelityOptions): Promise<FidelityResult> {
  const records = o.records.flatMap((f) => parseRecords(readFileSync(f, 'utf8')));
  rmSync(o.workDir, { recursive: true, force: true });
  const files = path.join(o.workDir, 'files');
  mkdirSync(files, { recursive: true });
  const env = { ...process.env, XEN_SIM_STATE: path.join(o.workDir, 'state'), XEN_SIM_INVENTORY: o.inventory };
  const keep = comparable(records);
  const lines: string[] = [];
  const perKind = new Map<string, { n: number; bad: number }>();
  let failures = 0;
  let compared = 0;
  let n = 0;
  for (const [i, r] of records.entries()) {
    const c = classify(r.argv);
    if (!c) {
      lines.push(`skip  ${r.argv.join(' ')}: not a toolstack command`);
      continue;
    }
    if (r.exitCode === null) {
      lines.push(
        `skip  ${r.argv.join(' ')}: did not finish in dom0 (${r.error ?? 'killed'}); effect unknown, not replayed`,
      );
      continue;
    }
    // A read changes nothing in the simulator (its xenstore is a function of state and time), so one superseded
    // by a later identical read need not be replayed at all.
    if (!keep.has(i)) continue;
    // Config files: the simulator reads a copy; its messages name the copy, put back to the real path.
    const swaps: Array<[string, string]> = [];
    const args = c.args.map((a) => {
      const local = o.substitute?.[a];
      if (local !== undefined) {
        swaps.push([local, a]);
        return local;
      }
      const content = r.files?.[a];
      if (content === undefined) return a;
      n += 1;
      const copy = path.join(files, `${n}-${path.basename(a)}`);
      writeFileSync(copy, content);
      swaps.push([copy, a]);
      return copy;
    });
    const argv = c.tool === 'xl' ? [process.execPath, o.xlSim, ...args] : [process.execPath, o.xlSim, c.tool, ...args];
    const sim = await runSim(argv, env);
    for (const [copy, orig] of swaps) {
      sim.stdout = sim.stdout.split(copy).join(orig);
      sim.stderr = sim.stderr.split(copy).join(orig);
    }
    compared += 1;
    const diffs = compareOutcome(c, { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }, sim, o.compare);
    const k = perKind.get(c.kind) ?? { n: 0, bad: 0 };
    k.n += 1;
    if (diffs.length > 0) {
      k.bad += 1;
      failures += 1;
      lines.push(`DIFF  [${r.source}] ${r.argv.join(' ')}\n    ${diffs.join('\n    ')}`);
    } else {
      lines.push(`same  [${r.source}] ${r.argv.join(' ')}`);
    }
    perKind.set(c.kind, k);
  }
  const table = [...perKind.entries()]
    .sort()
    .map(([kind, v]) => `  ${kind.padEnd(24)} ${String(v.n).padStart(4)} compared, ${v.bad} differ`);
  const summary = `fidelity: ${compared} of ${records.length} recorded commands compared, ${failures} differ`;
  return { failures, compared, summary, report: `${summary}\n${table.join('\n')}\n\n${lines.join('\n')}\n` };
}
