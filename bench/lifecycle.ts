// bench/lifecycle: plan and apply of 200 guests, each with a vif served by one network driver domain, against the
// simulated host through the real provider binary; then a refresh of every resource, counting the `xl list -l`
// calls it costs and comparing the provider's own CPU time with the wall time spent in xl (the simulator runs one
// process per xl command here, as xl does on dom0).
//
// Run: npm run bench:lifecycle   (GUESTS=N to change the size)

import { writeSection } from './results.mjs';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import type { CtyObject } from '../provider/protocol/cty/types';
import { TerraformSession } from '../test/support/lifecycle';
import { providerConfig, simHost } from '../test/support/sim';
import { SIM_SUBPROCESS_ENV } from '../provider/xen/sim-runner';

const GUESTS = Number(process.env.GUESTS ?? 200);
// What is compared with the provider's CPU is the time spent in xl, so each xl command is a process of its own, as
// on dom0: the simulator's in-process mode (the default for sim://) answers in microseconds, which no xl does.
process.env[SIM_SUBPROCESS_ENV] = '1';
const PARALLELISM = 10; // Terraform's default -parallelism

async function pool<T, R>(items: T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]);
      }
    }),
  );
  return out;
}

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  return (ticks * 1000) / 100;
}

interface XlCall {
  argv: string[];
  end: number;
  ms: number;
}

function xlCalls(lines: string[], from: number): XlCall[] {
  const out: XlCall[] = [];
  for (const line of lines.slice(from)) {
    if (!line.includes('toolstack command finished')) continue;
    const j = JSON.parse(line);
    out.push({ argv: j.argv, end: Date.parse(j['@timestamp'].replace(/(\.\d{3})\d+Z$/, '$1Z')), ms: j.duration_ms });
  }
  return out;
}

/** Wall time during which at least one xl (or xenstore) command was running. */
function unionMs(calls: XlCall[]): number {
  const iv = calls.map((c) => [c.end - c.ms, c.end]).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let cur: number[] | undefined;
  for (const [s, e] of iv) {
    if (!cur || s > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [s, e];
    } else cur[1] = Math.max(cur[1], e);
  }
  if (cur) total += cur[1] - cur[0];
  return total;
}

const isListLong = (c: XlCall) => c.argv.includes('list') && c.argv.includes('-l');

async function main(): Promise<void> {
  const host = simHost({ memory_mib: 262144, cpus: 64 });
  const tf = await TerraformSession.start({ env: { TF_LOG_PROVIDER: 'trace' } });
  await tf.configure(providerConfig(host, { security_policy: 'warn' }));
  const pid = tf.provider.pid;

  const nicCfg = tf.config('xen_pci_assignable', { bdf: '03:00.0' });
  const { state: nic } = await tf.applyConfig('xen_pci_assignable', null, nicCfg);
  const ddCfg = tf.config('xen_driver_domain', {
    name: 'netdd',
    class: 'network',
    kernel: '/var/lib/xen/images/vmlinuz',
    ramdisk: '/var/lib/xen/images/initrd.img',
    cmdline: 'iommu=soft',
    seclabel: 'system_u:system_r:domU_t',
    pci: [{ bdf: '03:00.0' }],
  });
  const { state: dd } = await tf.applyConfig('xen_driver_domain', null, ddCfg);

  const names = Array.from({ length: GUESTS }, (_, i) => `guest${i}`);
  const guestCfg = (n: string) =>
    tf.config('xen_domain', { name: n, memory: 256, firmware: 'pvgrub64', seclabel: 'system_u:system_r:domU_t' });
  const vifCfg = (n: string) => tf.config('xen_vif', { domain: n, backend: 'netdd', bridge: 'xenbr0' });

  // Plan: what `terraform plan` asks of the provider for 2N new resources.
  const phase = () => ({ t: Date.now(), cpu: cpuMs(pid), log: tf.provider.stderrLines.length });
  const share = (p: ReturnType<typeof phase>) => {
    const xl = unionMs(xlCalls(tf.provider.stderrLines, p.log));
    return { cpu: cpuMs(pid) - p.cpu, xl, pct: ((cpuMs(pid) - p.cpu) / Math.max(xl, 1)) * 100 };
  };
  const planPhase = phase();
  let t = Date.now();
  await pool(names, PARALLELISM, async (n) => {
    await tf.validate('xen_domain', guestCfg(n));
    await tf.plan('xen_domain', null, guestCfg(n));
    await tf.validate('xen_vif', vifCfg(n));
    await tf.plan('xen_vif', null, vifCfg(n));
  });
  const planMs = Date.now() - t;
  const planCpu = share(planPhase);

  // Apply: guests, then their vifs (each waits for its backend to connect).
  const applyPhase = phase();
  t = Date.now();
  const guests = await pool(
    names,
    PARALLELISM,
    async (n) => (await tf.applyConfig('xen_domain', null, guestCfg(n))).state,
  );
  const vifs = await pool(names, PARALLELISM, async (n) => (await tf.applyConfig('xen_vif', null, vifCfg(n))).state);
  const applyMs = Date.now() - t;
  const applyCpu = share(applyPhase);

  // Refresh: every resource read once, as the plan walk of the next `terraform plan` does.
  await new Promise((r) => setTimeout(r, 1500)); // let the listings cache expire, as in a new provider process
  const all: Array<[string, CtyObject]> = [
    ['xen_pci_assignable', nic],
    ['xen_driver_domain', dd],
    ...guests.map((g) => ['xen_domain', g] as [string, CtyObject]),
    ...vifs.map((v) => ['xen_vif', v] as [string, CtyObject]),
  ];
  const logFrom = tf.provider.stderrLines.length;
  const cpu0 = cpuMs(pid);
  t = Date.now();
  const refreshed = await pool(all, PARALLELISM, ([type, s]) => tf.read(type, s));
  const refreshMs = Date.now() - t;
  const cpuRefresh = cpuMs(pid) - cpu0;
  const calls = xlCalls(tf.provider.stderrLines, logFrom);
  const xlWall = unionMs(calls);
  const gone = refreshed.filter((r) => r === null).length;
  await tf.close();

  const N = all.length;
  const listLong = calls.filter(isListLong).length;
  const cpuShare = (planCpu.cpu + applyCpu.cpu) / Math.max(planCpu.xl + applyCpu.xl, 1);
  const fmt = (x: { cpu: number; xl: number; pct: number }) =>
    `${x.cpu.toFixed(0)} ms CPU vs ${x.xl.toFixed(0)} ms in xl (${x.pct.toFixed(1)}%)`;
  const lines = [
    '## lifecycle',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, Node ${process.version}`,
    `- Workload: ${GUESTS} guests, each with a vif served by one network driver domain, on the simulated host (one process per xl command, \`XEN_SIM_SUBPROCESS=1\`, as xl on dom0), through dist/terraform-provider-xen over mTLS (parallelism ${PARALLELISM}, as Terraform)`,
    `- Plan of ${2 * GUESTS} new resources (validate + plan each): ${(planMs / 1000).toFixed(1)} s`,
    `- Apply of ${2 * GUESTS} resources (create, vif hotplug wait): ${(applyMs / 1000).toFixed(1)} s`,
    `- Refresh of N = ${N} resources: ${(refreshMs / 1000).toFixed(2)} s, ${calls.length} toolstack commands, **${listLong} \`xl list -l\` calls** (target <= 2), ${gone} reported gone (want 0)`,
    `- Provider CPU vs wall time with an xl/xenstore command running: plan ${fmt(planCpu)}; apply ${fmt(applyCpu)}; plan + apply **${(cpuShare * 100).toFixed(1)}%** (target < 10%)`,
    `- The refresh itself is served from one listing, so it is mostly the provider's own work: ${cpuRefresh.toFixed(0)} ms CPU vs ${xlWall.toFixed(0)} ms in xl (${((cpuRefresh / Math.max(xlWall, 1)) * 100).toFixed(1)}%) for ${N} reads`,
    `- Verdict: ${listLong <= 2 && cpuShare < 0.1 && gone === 0 ? 'meets the targets' : 'MISSES a target'}`,
    '- Run: `npm run bench:lifecycle`',
    '',
  ];
  console.log(lines.join('\n'));
  writeSection(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
