// bench/xen-plan: a no-op `terraform plan` of the seed scenario on real Xen (the lab, QEMU TCG), with Terraform and
// the provider on this machine and dom0 reached over ssh through the restricted dom0 command, against the same state
// planned by Terraform and the provider inside dom0 (connection = "xl:///usr/sbin/xl"). The stage's harness
// (test/xen) sets the lab up; the seed is applied once over ssh, planned RUNS times each way, then destroyed.
//
// Run (holding the lab lock): flock /tmp/xenlab.lock env WORK=... SSH_PORT=... npm run bench:xen-plan
// (XEN_TEST_REUSE_LAB=1 uses a running lab; RUNS=N, default 3)

import * as os from 'node:os';
import * as path from 'node:path';
import { writeSection } from './results.mjs';
import { InDom0, OverSsh, REMOTE } from '../test/xen/drivers';
import { defaultLabScript, Lab } from '../test/xen/lab';
import { expectCode, fail, Look, MEM, runSeedDestroy } from '../test/xen/scenario';
import {
  bootLab,
  ensureQemu,
  pinnedHostKey,
  prepareDom0,
  restrictedLogin,
  stageLocal,
  whereFromEnv,
} from '../test/xen/setup';
import { Steps } from '../test/xen/steps';

const RUNS = Number(process.env.RUNS ?? 3);
const CHECKOUT = path.resolve('.');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const where = whereFromEnv(CHECKOUT, process.env.XEN_TEST_ARTIFACTS ?? '/tmp/bench-xen-plan');
  const s = new Steps();
  const lab = new Lab({ script: process.env.XEN_LAB ?? defaultLabScript(CHECKOUT) });
  await ensureQemu(s);
  await bootLab(s, lab);
  try {
    const look = new Look(lab);
    const knownHosts = await pinnedHostKey(lab, where);
    const key = await restrictedLogin(s, lab, where);
    const { tfRoot, cli } = stageLocal(where);
    const ssh = new OverSsh(
      lab,
      { connection: `ssh://root@127.0.0.1:${where.labPort}/usr/sbin/xl`, knownHosts, identityFile: key },
      tfRoot,
      cli,
      path.join(where.artifacts, 'record-bench.jsonl'),
      path.join(where.artifacts, 'logs-ssh'),
    );
    await s.step('seed over ssh: apply', async () =>
      expectCode(await ssh.tf('seed', ['apply', '-auto-approve', '-parallelism=1', ...MEM]), [0], 'apply'),
    );
    await prepareDom0(s, lab, where);
    const put = await lab.put(path.join(tfRoot, 'seed', 'terraform.tfstate'), `${REMOTE}/tf/seed/terraform.tfstate`);
    if (put.code !== 0) fail('copying the state into dom0 failed', put);
    const dom0 = new InDom0(lab);
    const times = { ssh: [] as number[], dom0: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      for (const [k, d] of [
        ['ssh', ssh],
        ['dom0', dom0],
      ] as const) {
        const t = Date.now();
        const r = await d.tf('seed', ['plan', '-detailed-exitcode', ...MEM]);
        if (r.code !== 0) fail(`the no-op plan ${d.where} was not empty`, r);
        times[k].push(Date.now() - t);
        s.line(`no-op plan ${i + 1}/${RUNS} ${d.where}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
      }
    }
    await runSeedDestroy(s, ssh, look);
    const [a, b] = [median(times.ssh), median(times.dom0)];
    const lines = [
      '## real Xen: no-op plan over ssh vs in dom0',
      '',
      `- Date: ${new Date().toISOString()}`,
      `- Machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, Node ${process.version}; the lab's Xen 4.17.7 dom0 under QEMU TCG; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} at the end`,
      '- Workload: `terraform plan -detailed-exitcode` (Terraform 1.11.4) of the seed scenario (NIC assignable, PV driver domain with it, client, vif), applied, no changes; ' +
        `${RUNS} runs each, alternating: Terraform and the provider on this machine with \`ssh://root@127.0.0.1:PORT/usr/sbin/xl\` through the restricted dom0 command, ` +
        'and Terraform and the provider inside dom0 with `xl:///usr/sbin/xl` on the same state',
      `- over ssh (provider here): median **${(a / 1000).toFixed(1)} s** (runs ${times.ssh.map((t) => (t / 1000).toFixed(1)).join(', ')})`,
      `- inside dom0: median **${(b / 1000).toFixed(1)} s** (runs ${times.dom0.map((t) => (t / 1000).toFixed(1)).join(', ')})`,
      `- over ssh / inside dom0: **${(a / b).toFixed(2)}x** (${a < b ? 'ssh is faster: the provider and Terraform no longer start under emulation' : 'ssh is NOT faster'})`,
      '- Run: `npm run bench:xen-plan` (holding the lab lock)',
      '',
    ];
    console.log(lines.join('\n'));
    writeSection(lines.join('\n'));
  } finally {
    if (process.env.XEN_TEST_REUSE_LAB !== '1' && process.env.XEN_TEST_KEEP_LAB !== '1') await lab.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
