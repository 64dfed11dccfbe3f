// bench/scale: what 200 managed guests cost with real Terraform, side by side with Terraform's own floor.
// (a) a no-op `terraform plan` of N PV xen_domain (kernel, memory, vcpus) on the simulated host against the same plan
//     of N `terraform_data` with the same attributes as input, and of those N terraform_data plus one xen_domain (the
//     provider's fixed cost, whatever the number of resources): runs in triples (the order alternates, so load from
//     elsewhere on this shared machine hits both alike), the median of each and the median of the per-pair ratios,
//     and the xl calls each plan made (XEN_PROVIDER_RECORD, the provider's own record of every command it runs);
//     and where one more no-op plan's CPU goes: Terraform's own and each of the provider's processes';
// (b) the apply that created those N domains (wall time, and its xl calls);
// (c) the whole posture evaluation at 500 guests (bench/posture-measure.ts, as `npm run bench:posture`).
// Writes the "## scale" section of bench/RESULTS.md.
//
// Run: npm run bench:scale   (DOMAINS=N, RUNS=N to change the size; COUNT_APPLY=1 also counts the apply's xl calls)

import { execFileSync } from 'node:child_process';
import { chmodSync, createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSection } from './results.mjs';
import { measurePosture, POSTURE_TARGET_MS } from './posture-measure';
import { providerHcl, simHost } from '../test/support/sim';
import {
  cliConfig,
  createWorkspace,
  DIST_DIR,
  findTerraform,
  type TerraformWorkspace,
} from '../test/support/terraform';

const DOMAINS = Number(process.env.DOMAINS ?? 200);
const RUNS = Number(process.env.RUNS ?? 7);
const PLAN_RATIO_GOAL = 2.0;
const APPLY_GOAL_S = 40;

/**
 * What a user writes for a PV guest: direct kernel boot, memory, vCPUs, and the FLASK label the posture rules ask for
 * on this host (FLASK enforcing). Without one, each guest gets a warning, and Terraform alone takes ~40 ms to print
 * each of them (8 s of an 18 s plan here under load): that is Terraform's cost, the same for any provider's warnings.
 */
function guest(i: number): Record<string, string | number> {
  return {
    name: `g${i}`,
    kernel: '/var/lib/xen/images/vmlinuz',
    ramdisk: '/var/lib/xen/images/initrd.img',
    cmdline: 'console=hvc0 root=/dev/xvda1',
    memory: 128,
    vcpus: 1 + (i % 2),
    seclabel: 'system_u:system_r:domU_t',
  };
}

function hcl(v: Record<string, string | number>): string {
  return Object.entries(v)
    .map(([k, x]) => `  ${k.padEnd(8)} = ${JSON.stringify(x)}`)
    .join('\n');
}

function xenConfig(providerBody: string, count = DOMAINS): string {
  const domains = Array.from(
    { length: count },
    (_, i) => `
resource "xen_domain" "g${i}" {
${hcl(guest(i))}
}`,
  ).join('\n');
  return `terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

provider "xen" {
${providerBody}
}
${domains}
`;
}

/** The same shape with Terraform's built-in resource: no provider process at all, Terraform's own cost. */
function dataConfig(): string {
  return Array.from({ length: DOMAINS }, (_, i) => {
    const g = guest(i);
    return `
resource "terraform_data" "g${i}" {
  input = {
${Object.entries(g)
  .map(([k, x]) => `    ${k.padEnd(8)} = ${JSON.stringify(x)}`)
  .join('\n')}
  }
}`;
  }).join('\n');
}

interface Run {
  ms: number;
  out: string;
  code: number;
}

async function terraform(ws: TerraformWorkspace, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const t = Date.now();
  const r = await ws.run([...args, '-no-color', '-input=false'], { env, timeoutMs: 1_800_000 });
  return { ms: Date.now() - t, out: r.stdout + r.stderr, code: r.code };
}

/**
 * The commands a run recorded, by subcommand. Read line by line: a record holds each command's output, and an apply
 * that lists every domain after each create writes more than a string can hold.
 */
async function xlCalls(record: string): Promise<{ total: number; bySub: Map<string, number> }> {
  const bySub = new Map<string, number>();
  let total = 0;
  if (!existsSync(record)) return { total, bySub };
  const lines = createInterface({ input: createReadStream(record, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const argv = (JSON.parse(line) as { argv: string[] }).argv;
    // argv is [node, provider, '__xl-sim', ...] or [xl, ...]: name the first word after the program's own prefix.
    const i = argv.indexOf('__xl-sim');
    const words = argv.slice(i >= 0 ? i + 1 : 1);
    const at = words.findIndex((a) => !a.startsWith('-'));
    // `list -l` and `list` are different reads (the JSON of every domain, the run states): name them apart.
    const sub = at < 0 ? '?' : words[at] === 'list' && words[at + 1] === '-l' ? 'list -l' : words[at];
    bySub.set(sub, (bySub.get(sub) ?? 0) + 1);
    total++;
  }
  rmSync(record, { force: true });
  return { total, bySub };
}

/** CPU seconds (user + sys) on the "children" line of bash's `times`: every waited-for descendant, summed. */
function childrenCpu(times: string): number {
  const lines = times.trim().split('\n');
  const secsOf = (t: string) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    if (!m) throw new Error(`not a bash times figure: ${t}`);
    return Number(m[1]) * 60 + Number(m[2]);
  };
  return lines[lines.length - 1]
    .trim()
    .split(/\s+/)
    .map(secsOf)
    .reduce((a, b) => a + b, 0);
}

/**
 * Where a plan's CPU goes: Terraform's own and each provider process's. Terraform runs under bash, whose `times`
 * counts it with every process it waited for; the provider runs through a bash wrapper (dev_overrides) that appends
 * its own `times` when it exits. One untimed plan, so the wrappers cost the timed runs nothing.
 */
async function planCpu(ws: TerraformWorkspace, tfBin: string): Promise<{ total: number; providers: number[] }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-cpu-'));
  try {
    const log = path.join(dir, 'provider-times.log');
    const wrapper = path.join(dir, 'terraform-provider-xen');
    writeFileSync(
      wrapper,
      `#!/bin/bash\n${JSON.stringify(path.join(DIST_DIR, 'terraform-provider-xen'))} "$@"\nrc=$?\n{ times; echo --; } >> ${JSON.stringify(log)}\nexit $rc\n`,
    );
    chmodSync(wrapper, 0o755);
    writeFileSync(path.join(dir, 'cli.tfrc'), cliConfig(dir));
    const env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: path.join(dir, 'cli.tfrc'),
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
    };
    const script = '"$0" "$@" >/dev/null 2>&1; rc=$?; times; exit $rc';
    const out = execFileSync('bash', ['-c', script, tfBin, 'plan', '-detailed-exitcode', '-no-color', '-input=false'], {
      cwd: ws.dir,
      env,
      encoding: 'utf8',
    });
    const providers = existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('--\n')
          .filter((t) => t.trim())
          .map(childrenCpu)
      : [];
    return { total: childrenCpu(out), providers };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const secs = (ms: number) => (ms / 1000).toFixed(2);
const subs = (m: Map<string, number>) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

async function main(): Promise<void> {
  const tfBin = findTerraform();
  if (!tfBin) throw new Error('bench:scale needs terraform (>= 1.5) on PATH or in /usr/local/bin');
  const tfVersion = execFileSync(tfBin, ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(
    '\n',
  )[0];
  const load0 = os.loadavg();
  // A host large enough for N guests: the demo host's 16 GiB and 8 CPUs hold fewer than 200 of them.
  const inventory = { memory_mib: 262144, cpus: 64 };
  const host = simHost(inventory);
  // The xl calls are counted in runs of their own (the record holds every output, which costs time): one more plan on
  // the timed workspace, and with COUNT_APPLY=1 an apply on a second host (it doubles the bench's time).
  const countApply = process.env.COUNT_APPLY === '1';
  const counted = simHost(inventory);
  const record = path.join(counted.dir, 'xl-record.jsonl');
  const recording = { XEN_PROVIDER_RECORD: record };
  const floorHost = simHost(inventory);
  const ws = {
    xen: createWorkspace(tfBin),
    data: createWorkspace(tfBin),
    floor: createWorkspace(tfBin),
    counted: createWorkspace(tfBin),
  };
  try {
    ws.xen.writeFile('main.tf', xenConfig(providerHcl(host, { security_policy: '"warn"' })));
    ws.counted.writeFile('main.tf', xenConfig(providerHcl(counted, { security_policy: '"warn"' })));
    ws.data.writeFile('main.tf', dataConfig());
    // The provider's fixed cost: the same terraform_data plus one xen_domain, so Terraform starts the provider (three
    // processes per plan: schema, validate, plan) but asks it about one resource.
    ws.floor.writeFile(
      'main.tf',
      `${xenConfig(providerHcl(floorHost, { security_policy: '"warn"' }), 1)}\n${dataConfig()}`,
    );

    const applyXen = await terraform(ws.xen, ['apply', '-auto-approve']);
    if (applyXen.code !== 0) throw new Error(`apply of ${DOMAINS} xen_domain failed:\n${applyXen.out.slice(-4000)}`);
    console.log(`apply of ${DOMAINS} xen_domain: ${secs(applyXen.ms)} s`);
    const applyData = await terraform(ws.data, ['apply', '-auto-approve']);
    if (applyData.code !== 0)
      throw new Error(`apply of ${DOMAINS} terraform_data failed:\n${applyData.out.slice(-4000)}`);
    console.log(`apply of ${DOMAINS} terraform_data: ${secs(applyData.ms)} s`);
    const applyFloor = await terraform(ws.floor, ['apply', '-auto-approve']);
    if (applyFloor.code !== 0)
      throw new Error(`apply of ${DOMAINS} terraform_data + 1 xen_domain failed:\n${applyFloor.out.slice(-4000)}`);
    const running = (JSON.parse(host.xl('list', '-l')) as unknown[]).length - 1;
    if (running !== DOMAINS) throw new Error(`the host has ${running} guests after the apply, not ${DOMAINS}`);

    const times = { xen: [] as number[], data: [] as number[], floor: [] as number[] };
    const ratios: number[] = [];
    const floorRatios: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const order = i % 2 === 0 ? (['xen', 'data', 'floor'] as const) : (['floor', 'data', 'xen'] as const);
      const pair: Partial<Record<'xen' | 'data' | 'floor', number>> = {};
      for (const k of order) {
        const r = await terraform(ws[k], ['plan', '-detailed-exitcode']);
        if (r.code !== 0) throw new Error(`no-op plan (${k}) was not empty (exit ${r.code}):\n${r.out.slice(-4000)}`);
        pair[k] = r.ms;
        times[k].push(r.ms);
      }
      ratios.push(pair.xen! / pair.data!);
      floorRatios.push(pair.floor! / pair.data!);
      console.log(
        `no-op plan ${i + 1}/${RUNS}: xen_domain ${secs(pair.xen!)} s, terraform_data ${secs(pair.data!)} s (${(pair.xen! / pair.data!).toFixed(2)}x), ` +
          `terraform_data + 1 xen_domain ${secs(pair.floor!)} s (${(pair.floor! / pair.data!).toFixed(2)}x)`,
      );
    }
    const mx = median(times.xen);
    const md = median(times.data);
    const mf = median(times.floor);
    const ratio = median(ratios);
    const floorRatio = median(floorRatios);

    let applyCalls: { total: number; bySub: Map<string, number> } | undefined;
    if (countApply) {
      const countedApply = await terraform(ws.counted, ['apply', '-auto-approve'], recording);
      if (countedApply.code !== 0) throw new Error(`the counted apply failed:\n${countedApply.out.slice(-4000)}`);
      applyCalls = await xlCalls(record);
    }
    const countedPlan = await terraform(ws.xen, ['plan', '-detailed-exitcode'], recording);
    if (countedPlan.code !== 0)
      throw new Error(
        `the counted no-op plan was not empty (exit ${countedPlan.code}):\n${countedPlan.out.slice(-4000)}`,
      );
    const planCalls = await xlCalls(record);
    console.log(
      `xl calls: ${applyCalls ? `apply ${applyCalls.total} (${subs(applyCalls.bySub)}), ` : ''}no-op plan ${planCalls.total} (${subs(planCalls.bySub)})`,
    );

    const cpuXen = await planCpu(ws.xen, tfBin);
    const cpuData = await planCpu(ws.data, tfBin);
    const providerCpu = cpuXen.providers.reduce((a, b) => a + b, 0);
    console.log(
      `CPU of a no-op plan: xen_domain ${cpuXen.total.toFixed(2)} s (provider ${providerCpu.toFixed(2)} s in ${cpuXen.providers.length} processes), terraform_data ${cpuData.total.toFixed(2)} s`,
    );

    const posture = measurePosture();

    const planOk = ratio <= PLAN_RATIO_GOAL;
    const applyOk = applyXen.ms / 1000 <= APPLY_GOAL_S;
    const postureOk = posture.whole.med <= POSTURE_TARGET_MS;
    const lines = [
      '## scale',
      '',
      `- Date: ${new Date().toISOString()}`,
      `- Machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, Node ${process.version}, ${tfVersion}; ` +
        `load average ${load0.map((l) => l.toFixed(1)).join(' ')} at the start, ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} at the end`,
      `- Workload: ${DOMAINS} PV \`xen_domain\` (kernel + ramdisk + cmdline, 128 MiB, 1-2 vCPUs, seclabel domU_t) on the simulated host (\`sim://DIR\`, a 256 GiB / 64-CPU inventory), ` +
        `through dist/terraform-provider-xen (dev_overrides); the same ${DOMAINS} objects as \`terraform_data\` inputs for Terraform's own floor; Terraform's default -parallelism=10`,
      `- (a) no-op \`plan -detailed-exitcode\`, ${RUNS} rounds of the three plans, order alternating: xen_domain median **${secs(mx)} s** (runs ${times.xen.map(secs).join(', ')}); ` +
        `terraform_data median **${secs(md)} s** (runs ${times.data.map(secs).join(', ')}); ` +
        `median of the per-pair ratios **${ratio.toFixed(2)}x** (ratio of the medians ${(mx / md).toFixed(2)}x; goal <= ${PLAN_RATIO_GOAL.toFixed(1)}x)`,
      `- (a) the provider's fixed cost, in the same runs: the ${DOMAINS} terraform_data plus one xen_domain, median **${secs(mf)} s**, **${floorRatio.toFixed(2)}x** terraform_data alone ` +
        `(runs ${times.floor.map(secs).join(', ')}): what any plan using this provider pays before its first resource (Terraform starts the provider three times per plan: schema, validate, plan; each is a Node.js start and an mTLS handshake). ` +
        `The ${DOMAINS} domains add ${secs(mx - mf)} s beyond it (${((mx - mf) / DOMAINS).toFixed(1)} ms each)`,
      `- (a) CPU of one more no-op plan (user + sys, bash \`times\`): xen_domain **${cpuXen.total.toFixed(2)} s** in all, of which the provider's ${cpuXen.providers.length} processes ` +
        `${providerCpu.toFixed(2)} s (${cpuXen.providers.map((c) => c.toFixed(2)).join(', ')}) and Terraform itself **${(cpuXen.total - providerCpu).toFixed(2)} s**; ` +
        `terraform_data **${cpuData.total.toFixed(2)} s** (Terraform alone). Terraform's own share is what it spends on these resources whatever the provider: ` +
        `on ${os.cpus().length} cores it alone is ${((cpuXen.total - providerCpu) / os.cpus().length).toFixed(2)} s of wall time even if perfectly parallel, ` +
        `${((cpuXen.total - providerCpu) / os.cpus().length / (md / 1000)).toFixed(2)}x the terraform_data plan's median`,
      `- (a) xl calls of a no-op plan of the ${DOMAINS} domains: **${planCalls.total}** (${subs(planCalls.bySub)})`,
      `- (b) apply creating the ${DOMAINS} domains: **${secs(applyXen.ms)} s** (goal <= ${APPLY_GOAL_S} s); the same apply of ${DOMAINS} terraform_data: ${secs(applyData.ms)} s`,
      ...(applyCalls ? [`- (b) xl calls of that apply: ${applyCalls.total} (${subs(applyCalls.bySub)})`] : []),
      `- (c) posture, whole evaluation at ${posture.guests} guests (${posture.findings} findings): median **${posture.whole.med.toFixed(2)} ms**, p90 ${posture.whole.p90.toFixed(2)} ms (goal <= ${POSTURE_TARGET_MS} ms)`,
      `- xl calls are counted in a plan${applyCalls ? ' and an apply (on a second simulated host)' : ''} of their own (XEN_PROVIDER_RECORD), not in the timed runs`,
      `- Verdict: plan ${planOk ? 'meets' : 'MISSES'} its goal, apply ${applyOk ? 'meets' : 'MISSES'} its goal, posture ${postureOk ? 'meets' : 'MISSES'} its goal`,
      "- Run: `npm run bench:scale` (DOMAINS=N, RUNS=N, COUNT_APPLY=1 to count the apply's xl calls too)",
      '',
    ];
    console.log(lines.join('\n'));
    writeSection(lines.join('\n'));
    if (!(planOk && applyOk && postureOk)) process.exitCode = 1;
  } finally {
    for (const w of Object.values(ws)) w.dispose();
    for (const h of [host, counted, floorHost]) rmSync(h.dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
