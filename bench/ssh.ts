// bench/ssh: what the ssh transport costs. A no-op `terraform plan` (real Terraform, the built provider) of N domains
// on the simulated host, once with connection = "sim://DIR" on this machine and once as a dom0 behind a real sshd on
// 127.0.0.1 through the restricted dom0 command (the same simulator as that machine's xl); runs alternate so that load
// from elsewhere hits both alike. Also counts the ssh logins sshd accepted per Terraform command against the provider
// processes Terraform started: the goal is one connection per provider process.
//
// Run: npm run bench:ssh   (DOMAINS=N, RUNS=N to change the size)

import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSection } from './results.mjs';
import { providerHcl, simHost, sshSimHost, type SimHost } from '../test/support/sim';
import { startSshd } from '../test/support/sshd';
import { createWorkspace, findTerraform, type TerraformWorkspace } from '../test/support/terraform';

const DOMAINS = Number(process.env.DOMAINS ?? 200);
const RUNS = Number(process.env.RUNS ?? 5);

function config(host: SimHost): string {
  const domains = Array.from(
    { length: DOMAINS },
    (_, i) => `
resource "xen_domain" "g${i}" {
  name     = "g${i}"
  memory   = 64
  firmware = "pvgrub64"
}`,
  ).join('\n');
  return `terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

provider "xen" {
${providerHcl(host, { security_policy: '"warn"' })}
}
${domains}
`;
}

async function terraform(
  ws: TerraformWorkspace,
  args: string[],
  log?: string,
): Promise<{ ms: number; out: string; code: number }> {
  const t = Date.now();
  const env = log ? { TF_LOG: 'DEBUG', TF_LOG_PATH: log } : {};
  const r = await ws.run([...args, '-no-color'], { env, timeoutMs: 1_800_000 });
  return { ms: Date.now() - t, out: r.stdout + r.stderr, code: r.code };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const tfBin = findTerraform();
  if (!tfBin) throw new Error('bench:ssh needs terraform (>= 1.5) on PATH or in /usr/local/bin');
  const tfVersion = execFileSync(tfBin, ['version'], { encoding: 'utf8' }).split('\n')[0];
  const sshd = await startSshd();
  const hosts = {
    local: simHost({ memory_mib: 262144, cpus: 64 }),
    ssh: sshSimHost(sshd, { changes: { memory_mib: 262144, cpus: 64 } }),
  };
  const ws = { local: createWorkspace(tfBin), ssh: createWorkspace(tfBin) };
  try {
    for (const k of ['local', 'ssh'] as const) {
      ws[k].writeFile('main.tf', config(hosts[k]));
      const t = Date.now();
      const r = await terraform(ws[k], ['apply', '-auto-approve']);
      if (r.code !== 0) throw new Error(`apply (${k}) failed:\n${r.out.slice(-3000)}`);
      console.log(`apply of ${DOMAINS} domains (${k}): ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    const times: Record<'local' | 'ssh', number[]> = { local: [], ssh: [] };
    const perCommand: Array<{ logins: number; providers: number; connected: number; pids: number }> = [];
    for (let i = 0; i < RUNS; i++) {
      for (const k of ['local', 'ssh'] as const) {
        const log = path.join(ws[k].dir, `plan-${i}.log`);
        const before = sshd.logins();
        const r = await terraform(ws[k], ['plan', '-detailed-exitcode'], k === 'ssh' ? log : undefined);
        if (r.code !== 0) throw new Error(`no-op plan (${k}) was not empty (exit ${r.code}):\n${r.out.slice(-3000)}`);
        times[k].push(r.ms);
        if (k === 'ssh') {
          const text = readFileSync(log, 'utf8');
          const connected = [...text.matchAll(/connected to dom0 over ssh.*?pid[=:"\s]+(\d+)/g)].map((m) => m[1]);
          perCommand.push({
            logins: sshd.logins() - before,
            providers: (text.match(/plugin started: path=\S*terraform-provider-xen/g) ?? []).length,
            connected: connected.length,
            pids: new Set(connected).size,
          });
        }
        console.log(`no-op plan ${i + 1}/${RUNS} (${k}): ${(r.ms / 1000).toFixed(2)} s`);
      }
    }
    const local = median(times.local);
    const ssh = median(times.ssh);
    const ratio = ssh / local;
    const c = perCommand[perCommand.length - 1];
    const onePerProcess = perCommand.every(
      (p) => p.connected === p.pids && p.logins === p.connected && p.connected <= p.providers,
    );
    const lines = [
      '## ssh transport',
      '',
      `- Date: ${new Date().toISOString()}`,
      `- Machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, Node ${process.version}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} at the end`,
      `- Workload: a no-op \`terraform plan\` (${tfVersion}, the built provider) of ${DOMAINS} xen_domain resources on the simulated host: ` +
        `\`sim://DIR\` on this machine vs \`ssh://...\` to a real sshd on 127.0.0.1 through the restricted dom0 command (the same simulator as that machine's xl); ${RUNS} runs each, alternating`,
      `- sim:// locally: median **${(local / 1000).toFixed(2)} s** (runs ${times.local.map((t) => (t / 1000).toFixed(2)).join(', ')})`,
      `- ssh:// through sshd: median **${(ssh / 1000).toFixed(2)} s** (runs ${times.ssh.map((t) => (t / 1000).toFixed(2)).join(', ')})`,
      `- ssh / local: **${ratio.toFixed(2)}x** (goal <= 1.3x)`,
      `- ssh connections per Terraform command: sshd accepted ${perCommand.map((p) => p.logins).join(', ')} logins per plan; ` +
        `Terraform started ${c.providers} provider processes per plan, ${c.pids} of which connected, each **once** (${c.connected} "connected to dom0" log lines) — ` +
        `${onePerProcess ? 'one connection per provider process in every run' : 'NOT one connection per provider process'}`,
      `- Verdict: ${ratio <= 1.3 && onePerProcess ? 'meets the goals' : 'MISSES a goal'}`,
      '- Run: `npm run bench:ssh`',
      '',
    ];
    console.log(lines.join('\n'));
    writeSection(lines.join('\n'));
  } finally {
    for (const k of ['local', 'ssh'] as const) ws[k].dispose();
    rmSync(hosts.local.dir, { recursive: true, force: true });
    await sshd.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
