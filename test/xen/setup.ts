// Setting the lab up for a run of the provider against it (the real-Xen stage and bench/xen-plan): boot, dom0's host
// key read from dom0 and pinned, the restricted dom0 command and a key limited to it, node + Terraform and the provider
// in dom0, local copies of the scenarios.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliConfig } from '../support/terraform';
import { dropbearEd25519Public, REMOTE } from './drivers';
import { run, runStreaming, type Lab } from './lab';
import { expectCode, fail } from './scenario';
import { StepFailed, type Steps } from './steps';

export interface Where {
  /** The repository (dist/ is built). */
  checkout: string;
  /** Where this run keeps its files. */
  artifacts: string;
  /** The lab's WORK and SSH_PORT, as run.sh reads them. */
  labWork: string;
  labPort: number;
}

export const DOM0_SCRIPT = '/usr/local/libexec/terraform-provider-xen-dom0';

export function whereFromEnv(checkout: string, artifacts: string): Where {
  return {
    checkout,
    artifacts,
    labWork: process.env.WORK ?? '/tmp/xenlab',
    labPort: Number(process.env.SSH_PORT ?? 2222),
  };
}

export async function which(cmd: string): Promise<boolean> {
  return (await run(['sh', '-c', 'command -v "$0"', cmd])).code === 0;
}

export async function ensureQemu(s: Steps): Promise<void> {
  if (await which('qemu-system-x86_64')) return;
  await s.step('install qemu-system-x86 (apt-get)', async () => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const u = await run(['apt-get', 'update'], { env, timeoutMs: 600_000 });
    if (u.code !== 0) throw new Error(`apt-get update failed:\n${u.stderr.slice(-2000)}`);
    const r = await run(['apt-get', 'install', '-y', '--no-install-recommends', 'qemu-system-x86'], {
      env,
      timeoutMs: 900_000,
    });
    if (r.code !== 0) throw new Error(`apt-get install qemu-system-x86 failed:\n${r.stderr.slice(-2000)}`);
  });
}

export async function bootLab(s: Steps, lab: Lab): Promise<void> {
  const reuse = process.env.XEN_TEST_REUSE_LAB === '1';
  if (!reuse && (await lab.status()).code !== 3) {
    await s.step('stop a lab left running by an earlier run', async () => {
      await lab.stop();
    });
  }
  const attempts = Number(process.env.XEN_TEST_BOOT_ATTEMPTS ?? 3);
  for (let i = 1; ; i++) {
    const lines: string[] = [];
    let reached = false;
    const code = await s.step(`lab: boot real Xen 4.17 + dom0 (attempt ${i}/${attempts})`, async () => {
      const c = await lab.serve((l) => {
        lines.push(l);
        if (/sshd up after|already running/.test(l)) reached = true;
        if (/\[xen-lab/.test(l)) s.line(`     ${l}`);
      });
      if (c !== 0 && reached)
        throw new Error(
          `dom0 was reached but never became ready (serve exit ${c}); not retried:\n${lines.slice(-30).join('\n')}`,
        );
      return c;
    });
    if (code === 0) return;
    if (i >= attempts)
      throw new StepFailed(
        'lab boot',
        `the lab never reached dom0 in ${attempts} attempts:\n${lines.slice(-30).join('\n')}`,
      );
    s.line(`lab boot never reached dom0 (serve exit ${code}); stopping and retrying`);
    await lab.stop();
  }
}

export async function prepareDom0(s: Steps, lab: Lab, where: Where): Promise<void> {
  const reuse = process.env.XEN_TEST_REUSE_LAB === '1';
  const haveNode =
    reuse &&
    (await lab.exec(['sh', '-c', 'test -x /usr/local/bin/node && test -x /usr/local/bin/terraform'])).code === 0;
  if (!haveNode) {
    await s.step('lab: install node + terraform in dom0', async () => {
      const out: string[] = [];
      const c = await lab.installNode((l) => out.push(l));
      if (c !== 0) throw new Error(`install-node failed (exit ${c}):\n${out.slice(-20).join('\n')}`);
    });
  }
  await s.step('lab: copy the provider, the HCL scenarios and the dom0 helpers', async () => {
    const stage = path.join(where.artifacts, 'stage');
    rmSync(stage, { recursive: true, force: true });
    mkdirSync(stage, { recursive: true });
    const cli = path.join(stage, 'cli.tfrc');
    writeFileSync(cli, cliConfig(`${REMOTE}/dist`));
    const prep = await lab.exec([
      'sh',
      '-c',
      `rm -rf ${REMOTE} && mkdir -p ${REMOTE}/dist ${REMOTE}/tf ${REMOTE}/logs`,
    ]);
    if (prep.code !== 0) throw new Error(`mkdir in dom0 failed: ${prep.stderr}`);
    const puts: Array<[string, string]> = [
      [path.join(where.checkout, 'dist', 'terraform-provider-xen'), `${REMOTE}/dist/`],
      [path.join(where.checkout, 'dist', 'terraform-provider-xen.v8cache'), `${REMOTE}/dist/`],
      [cli, `${REMOTE}/`],
      [path.join(where.checkout, 'test', 'xen', 'dom0'), `${REMOTE}`],
      [path.join(where.checkout, 'test', 'xen', 'scenarios', 'seed'), `${REMOTE}/tf`],
      [path.join(where.checkout, 'test', 'xen', 'scenarios', 'extra'), `${REMOTE}/tf`],
    ];
    for (const [from, to] of puts) {
      const r = await lab.put(from, to);
      if (r.code !== 0) throw new Error(`put ${from} ${to} failed: ${r.stderr}`);
    }
  });
}

/** dom0's host key as dropbear keeps it (made at the first connection after boot), as the line that pins it. */
export async function pinnedHostKey(lab: Lab, where: Where): Promise<string> {
  const r = await lab.exec(['base64', '/etc/dropbear/dropbear_ed25519_host_key']);
  if (r.code !== 0) fail("cannot read dropbear's ed25519 host key in dom0", r);
  return `[127.0.0.1]:${where.labPort} ssh-ed25519 ${dropbearEd25519Public(Buffer.from(r.stdout.replace(/\s+/g, ''), 'base64'))}`;
}

/**
 * A key for the provider whose authorized_keys line in dom0 forces the restricted dom0 command, as the remote dom0
 * guide sets it up (dropbear knows command= and the no-* options).
 */
export async function restrictedLogin(s: Steps, lab: Lab, where: Where): Promise<string> {
  return s.step(
    'dom0: install the restricted command and a key limited to it (authorized_keys command=...)',
    async () => {
      const dir = path.join(where.artifacts, 'ssh');
      mkdirSync(dir, { recursive: true });
      const key = path.join(dir, 'restricted');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'terraform-ci', '-f', key]);
      expectCode(await lab.exec(['mkdir', '-p', path.dirname(DOM0_SCRIPT)]), [0], 'mkdir');
      const put = await lab.put(path.join(where.checkout, 'dist', 'terraform-provider-xen-dom0'), DOM0_SCRIPT);
      if (put.code !== 0) fail('copying the restricted command into dom0 failed', put);
      const line = `command="${DOM0_SCRIPT}",no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-pty ${readFileSync(`${key}.pub`, 'utf8').trim()}`;
      expectCode(
        await lab.sh(`printf '%s\\n' '${line}' >> /root/.ssh/authorized_keys`),
        [0],
        'append to authorized_keys',
      );
      return key;
    },
  );
}

/** Local copies of the scenarios (their state stays here) and a CLI config that points Terraform at dist/. */
export function stageLocal(where: Where): { tfRoot: string; cli: string } {
  const tfRoot = path.join(where.artifacts, 'tf');
  rmSync(tfRoot, { recursive: true, force: true });
  for (const dir of ['seed', 'extra', 'hvm'])
    cpSync(path.join(where.checkout, 'test', 'xen', 'scenarios', dir), path.join(tfRoot, dir), { recursive: true });
  const cli = path.join(where.artifacts, 'cli-local.tfrc');
  writeFileSync(cli, cliConfig(path.join(where.checkout, 'dist')));
  return { tfRoot, cli };
}
