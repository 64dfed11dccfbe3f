// The kill sweep's moving parts, shared by the jest test (test/lifecycle/kill-sweep.test.ts) and the benchmark
// (bench/kill-sweep.ts): a scenario of ten resources on a simulated host, real Terraform runs that can be SIGKILLed
// at the k-th "Creation complete", the provider killed through the simulator's kill-caller fault, and an audit that
// compares what the host holds with what Terraform's state holds.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TerraformWorkspace } from './terraform';
import type { SimHost } from './sim';

export const GUESTS = ['g1', 'g2', 'g3'];

/**
 * Ten resources: the NIC made assignable, a network driver domain holding it, three guests, a vif for each served
 * by the driver domain, a second vif on g1 with exactly the configuration of the first (two resources that must
 * never claim one vif), and a disk on g1 served by dom0.
 */
export function sweepConfig(host: SimHost): string {
  const guests = GUESTS.map(
    (g) => `
resource "xen_domain" "${g}" {
  name     = "${g}"
  memory   = 128
  firmware = "pvgrub64"
  seclabel = "system_u:system_r:domU_t"
}

resource "xen_vif" "${g}" {
  domain  = xen_domain.${g}.name
  backend = xen_driver_domain.net.name
  bridge  = "xenbr0"
}
`,
  ).join('');
  return `
terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

provider "xen" {
  connection      = "${host.connection}"
  hotplug_timeout = "3s"
  security_policy = "warn"
}

resource "xen_pci_assignable" "nic" {
  bdf      = "03:00.0"
  seclabel = "system_u:object_r:nic_dev_t"
}

resource "xen_driver_domain" "net" {
  name     = "netdd"
  class    = "network"
  memory   = 256
  kernel   = "/var/lib/xen/images/vmlinuz"
  ramdisk  = "/var/lib/xen/images/initrd.img"
  cmdline  = "console=hvc0 iommu=soft"
  seclabel = "system_u:system_r:domU_t"
  pci {
    bdf = xen_pci_assignable.nic.bdf
  }
}
${guests}
resource "xen_vif" "g1_twin" {
  domain  = xen_domain.g1.name
  backend = xen_driver_domain.net.name
  bridge  = "xenbr0"
}

resource "xen_disk" "data" {
  domain  = xen_domain.g1.name
  backend = "Domain-0"
  target  = "/dev/vg0/g1-data"
  vdev    = "xvdb"
}
`;
}

export const SWEEP_RESOURCES = 10;

/** The xl subcommands with which each resource's create changes the host. */
export const CREATE_COMMANDS = 'create,network-attach,block-attach,pci-assignable-add';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  /** "Creation complete" lines seen before the end (or the kill). */
  completions: number;
}

/**
 * `terraform ARGS` in the workspace, streaming its output; with killAfter, Terraform is SIGKILLed as soon as it has
 * printed that many "Creation complete" lines, which is after it got the provider's answer and (for most of them)
 * before it saved the state.
 */
export function terraform(
  ws: TerraformWorkspace,
  args: string[],
  opts: { killAfter?: number; timeoutMs?: number } = {},
): Promise<RunResult> {
  const cliConfig = path.join(ws.dir, '.terraformrc');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
  };
  return new Promise((resolve) => {
    const child = spawn(ws.binary, [...args, '-no-color'], { cwd: ws.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let completions = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 240_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      completions = (out.match(/Creation complete after/g) ?? []).length;
      if (opts.killAfter !== undefined && completions >= opts.killAfter && child.exitCode === null)
        child.kill('SIGKILL');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, completions });
    });
  });
}

/** Pids of the provider processes this workspace's Terraform started (found by the CLI config in their environment). */
export function providerPids(ws: TerraformWorkspace): number[] {
  const marker = `TF_CLI_CONFIG_FILE=${path.join(ws.dir, '.terraformrc')}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmd.includes('terraform-provider-xen') || cmd.includes('__xl-sim')) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(marker)) pids.push(Number(entry));
    } catch {
      /* gone meanwhile, or not ours */
    }
  }
  return pids;
}

/** Waits until none of this workspace's providers runs; returns how long that took, or undefined past timeoutMs. */
export async function providersGone(ws: TerraformWorkspace, timeoutMs: number): Promise<number | undefined> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (providerPids(ws).length === 0) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

export interface Inventory {
  domains: string[];
  /** `domain mac` */
  vifs: string[];
  /** `domain vdev`, hot-attached disks only (a domain's own disks are part of the domain). */
  disks: string[];
  assignable: string[];
}

interface SimDomainState {
  name: string;
  domid: number;
  nics: Array<{ mac: string }>;
  disks: Array<{ vdev: string }>;
  spec: { disks: Array<{ vdev: string }> };
  stubdomFor?: number;
}

/** What the simulated host holds, from its own state document. */
export function hostInventory(host: SimHost): Inventory {
  const s = JSON.parse(host.xl('sim-state')) as {
    domains: SimDomainState[];
    pci: Record<string, { driver: string | null }>;
  };
  const doms = s.domains.filter((d) => d.domid !== 0 && d.stubdomFor === undefined);
  return {
    domains: doms.map((d) => d.name).sort(),
    vifs: doms.flatMap((d) => d.nics.map((n) => `${d.name} ${n.mac.toLowerCase()}`)).sort(),
    disks: doms
      .flatMap((d) =>
        d.disks.filter((x) => !d.spec.disks.some((o) => o.vdev === x.vdev)).map((x) => `${d.name} ${x.vdev}`),
      )
      .sort(),
    assignable: Object.entries(s.pci)
      .filter(([, p]) => p.driver === 'pciback')
      .map(([bdf]) => bdf)
      .sort(),
  };
}

interface StateFile {
  resources?: Array<{
    mode: string;
    type: string;
    instances: Array<{ attributes: Record<string, unknown>; status?: string }>;
  }>;
}

/** What Terraform's state holds (the local backend's terraform.tfstate). */
export function stateInventory(ws: TerraformWorkspace): Inventory {
  const file = path.join(ws.dir, 'terraform.tfstate');
  const st: StateFile = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const inst = (type: string) =>
    (st.resources ?? [])
      .filter((r) => r.mode === 'managed' && r.type === type)
      .flatMap((r) => r.instances.map((i) => i.attributes));
  return {
    domains: [...inst('xen_domain'), ...inst('xen_driver_domain')].map((a) => String(a.name)).sort(),
    vifs: inst('xen_vif')
      .map((a) => `${a.domain} ${String(a.mac).toLowerCase()}`)
      .sort(),
    disks: inst('xen_disk')
      .map((a) => `${a.domain} ${a.vdev}`)
      .sort(),
    assignable: inst('xen_pci_assignable')
      .map((a) => String(a.id))
      .sort(),
  };
}

export interface Audit {
  /** On the host, not in the state. */
  orphans: string[];
  /** In the state more than once, or a second object on the host doing what one state entry does. */
  duplicates: string[];
  /** In the state, not on the host. */
  missing: string[];
}

export function audit(host: Inventory, state: Inventory): Audit {
  const out: Audit = { orphans: [], duplicates: [], missing: [] };
  for (const kind of ['domains', 'vifs', 'disks', 'assignable'] as const) {
    const h = host[kind];
    const s = state[kind];
    for (const x of new Set(s)) if (s.filter((y) => y === x).length > 1) out.duplicates.push(`${kind}: ${x}`);
    for (const x of h) {
      if (s.includes(x)) continue;
      // A vif nobody holds on a domain whose vifs the state has in full is a second copy of one of them.
      const extraVif =
        kind === 'vifs' &&
        h.filter((y) => y.split(' ')[0] === x.split(' ')[0]).length >
          s.filter((y) => y.split(' ')[0] === x.split(' ')[0]).length;
      (extraVif ? out.duplicates : out.orphans).push(`${kind}: ${x}`);
    }
    for (const x of s) if (!h.includes(x)) out.missing.push(`${kind}: ${x}`);
  }
  return out;
}

/** One kill: what is done to the apply. */
export type Kill =
  | { who: 'terraform'; afterCompletions: number }
  | { who: 'provider'; phase: 'before' | 'during' | 'after'; skip: number; commands?: string };

export function describeKill(k: Kill): string {
  return k.who === 'terraform'
    ? `Terraform SIGKILLed after ${k.afterCompletions} creation(s) complete`
    : `provider SIGKILLed ${k.phase} its create #${k.skip + 1}${k.commands ? ` (${k.commands})` : ''}`;
}

export interface KillOutcome {
  kill: Kill;
  /** The interrupted apply really was interrupted (Terraform killed, or it failed because the provider died). */
  interrupted: boolean;
  /** Resources whose create was in flight when the provider died (provider kills only). */
  cutOff: string[];
  /** Ms until every provider of the killed Terraform had exited (Terraform kills only); undefined: still running. */
  providersExitedMs?: number;
  converged: boolean;
  planEmpty: boolean;
  audit: Audit;
  /** Output of the first command that did not go as expected. */
  failure?: string;
}

/** Runs one kill on a fresh host and workspace, then the converging apply, the empty-plan check and the audit. */
export async function killAndConverge(host: SimHost, ws: TerraformWorkspace, kill: Kill): Promise<KillOutcome> {
  ws.writeFile('main.tf', sweepConfig(host));
  if (kill.who === 'provider')
    host.xl('sim-fault', 'kill-caller', kill.commands ?? CREATE_COMMANDS, kill.phase, String(kill.skip));
  const first = await terraform(
    ws,
    ['apply', '-auto-approve'],
    kill.who === 'terraform' ? { killAfter: kill.afterCompletions } : {},
  );
  const outcome: KillOutcome = {
    kill,
    interrupted: false,
    cutOff: kill.who === 'provider' ? cutOff(first.out) : [],
    converged: false,
    planEmpty: false,
    audit: { orphans: [], duplicates: [], missing: [] },
  };
  if (kill.who === 'terraform') {
    outcome.interrupted = first.signal === 'SIGKILL';
    outcome.providersExitedMs = await providersGone(ws, 20_000);
  } else {
    outcome.interrupted =
      first.code !== 0 &&
      /Plugin did not respond|Request cancelled/.test(first.out) &&
      host.xl('sim-fault', 'list').trim() === '';
    host.xl('sim-fault', 'clear');
  }
  if (!outcome.interrupted)
    outcome.failure = `the first apply was not interrupted (${first.code ?? first.signal}):\n${first.out}`;
  const second = await terraform(ws, ['apply', '-auto-approve']);
  outcome.converged = second.code === 0;
  if (!outcome.converged)
    outcome.failure ??= `the converging apply failed (${second.code ?? second.signal}):\n${second.out}`;
  const plan = await terraform(ws, ['plan', '-detailed-exitcode']);
  outcome.planEmpty = plan.code === 0;
  if (!outcome.planEmpty) outcome.failure ??= `the plan after it is not empty (${plan.code}):\n${plan.out}`;
  outcome.audit = audit(hostInventory(host), stateInventory(ws));
  return outcome;
}

/**
 * Resources whose create was in flight when the provider died: Terraform printed "Creating..." for them but never
 * "Creation complete", and the apply failed with "Plugin did not respond".
 */
export function cutOff(out: string): string[] {
  // Terraform says "Plugin did not respond" when it reads EOF first, "Request cancelled" when go-plugin saw the
  // process exit first: both mean the provider died under the call.
  if (!/Plugin did not respond|Request cancelled/.test(out)) return [];
  const started = [...out.matchAll(/^([a-z_]+\.[a-z0-9_]+): Creating\.\.\.$/gm)].map((m) => m[1]);
  const done = new Set([...out.matchAll(/^([a-z_]+\.[a-z0-9_]+): Creation complete after/gm)].map((m) => m[1]));
  return [...new Set(started.filter((a) => !done.has(a)))].sort();
}

export interface ChainStep {
  phase: 'before' | 'during' | 'after';
  code: number | null;
  /** Resources whose create was in flight when the provider died. */
  cutOff: string[];
}

export interface ChainOutcome {
  steps: ChainStep[];
  /** Every resource whose create was cut off at least once. */
  interrupted: string[];
  converged: boolean;
  planEmpty: boolean;
  audit: Audit;
  failure?: string;
}

/**
 * Applies again and again, each time with the provider SIGKILLed at the first xl call that creates something (the
 * phases cycle: before the call, half way through it, after it), until an apply finds nothing left to create. Every
 * create in flight when the provider dies is cut off, and the next apply must finish or adopt it.
 */
export async function killChain(
  host: SimHost,
  ws: TerraformWorkspace,
  phases: Array<'before' | 'during' | 'after'>,
  maxApplies = 40,
): Promise<ChainOutcome> {
  ws.writeFile('main.tf', sweepConfig(host));
  const outcome: ChainOutcome = {
    steps: [],
    interrupted: [],
    converged: false,
    planEmpty: false,
    audit: { orphans: [], duplicates: [], missing: [] },
  };
  for (let i = 0; i < maxApplies; i++) {
    const phase = phases[i % phases.length];
    host.xl('sim-fault', 'clear');
    host.xl('sim-fault', 'kill-caller', CREATE_COMMANDS, phase, '0');
    const r = await terraform(ws, ['apply', '-auto-approve']);
    if (process.env.KILL_SWEEP_LOGS) writeFileSync(path.join(process.env.KILL_SWEEP_LOGS, `apply-${i + 1}.log`), r.out);
    const step: ChainStep = { phase, code: r.code, cutOff: cutOff(r.out) };
    outcome.steps.push(step);
    // The fault is used up only when it struck: an apply that failed with the fault still armed failed on its own.
    if (r.code !== 0 && host.xl('sim-fault', 'list').trim() !== '') step.cutOff = [];
    if (r.code === 0) {
      outcome.converged = true;
      break;
    }
    if (step.cutOff.length === 0) {
      outcome.failure = `apply ${i + 1} failed, and not because the provider was killed:\n${r.out}`;
      break;
    }
  }
  host.xl('sim-fault', 'clear');
  outcome.interrupted = [...new Set(outcome.steps.flatMap((s) => s.cutOff))].sort();
  if (!outcome.converged) outcome.failure ??= `no apply converged in ${maxApplies}`;
  const plan = await terraform(ws, ['plan', '-detailed-exitcode']);
  outcome.planEmpty = plan.code === 0;
  if (!outcome.planEmpty) outcome.failure ??= `the plan after the chain is not empty (${plan.code}):\n${plan.out}`;
  outcome.audit = audit(hostInventory(host), stateInventory(ws));
  return outcome;
}

/** Every resource address of sweepConfig. */
export const SWEEP_ADDRESSES = [
  'xen_pci_assignable.nic',
  'xen_driver_domain.net',
  ...GUESTS.flatMap((g) => [`xen_domain.${g}`, `xen_vif.${g}`]),
  'xen_vif.g1_twin',
  'xen_disk.data',
].sort();
