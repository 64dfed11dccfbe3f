// `npm run test:xen`: the provider against real Xen 4.17.7 in ../shared/xen-lab, then the fidelity check of the
// simulated host against what real xl printed in that run. Prints one line per step with its time.
//
//   1. over ssh, through the restricted dom0 command: Terraform and the provider on this machine, dom0's host key
//      pinned as read from dom0 after boot (a wrong pinned key is refused first, before anything runs): the seed;
//   2. inside dom0: the same state planned there (no changes), then import, labels and the data sources;
//   3. over ssh with a plain root login (no forced command): the seed destroyed.
//
// Env: XEN_TEST_ARTIFACTS (default /tmp/test-xen-artifacts), XEN_TEST_REUSE_LAB=1 (keep a running lab and its node;
// for development, CI never sets it), XEN_TEST_KEEP_LAB=1 (do not stop the lab at the end), XEN_LAB (run.sh path),
// XEN_TEST_BOOT_ATTEMPTS (default 3; only boots that never reached dom0 are retried); the lab's WORK and SSH_PORT.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliConfig } from '../support/terraform';
import { DOM0_RECORD, dropbearEd25519Public, InDom0, OverSsh, REMOTE, type SshLogin } from './drivers';
import { runFidelity } from './fidelity';
import { defaultLabScript, Lab, run, runStreaming } from './lab';
import { Look, MEM, planExpect, runExtra, runSeed, runSeedDestroy, expectCode, fail } from './scenario';
import { StepFailed, Steps, formatDuration } from './steps';

const CHECKOUT = path.resolve(__dirname, '..');
const ARTIFACTS = process.env.XEN_TEST_ARTIFACTS ?? '/tmp/test-xen-artifacts';
const LAB_WORK = process.env.WORK ?? '/tmp/xenlab';
const LAB_PORT = Number(process.env.SSH_PORT ?? 2222);
const DOM0_SCRIPT = '/usr/local/libexec/terraform-provider-xen-dom0';
/** The records, one per phase and clock, in the order the host saw them. */
const RECORDS = ['record-1-ssh.jsonl', 'record-2-dom0.jsonl', 'record-3-ssh.jsonl'].map((f) => path.join(ARTIFACTS, f));

async function which(cmd: string): Promise<boolean> {
  return (await run(['sh', '-c', 'command -v "$0"', cmd])).code === 0;
}

async function ensureQemu(s: Steps): Promise<void> {
  if (await which('qemu-system-x86_64')) return;
  await s.step('install qemu-system-x86 (apt-get)', async () => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const u = await run(['apt-get', 'update'], { env, timeoutMs: 600_000 });
    if (u.code !== 0) throw new Error(`apt-get update failed:\n${u.stderr.slice(-2000)}`);
    const r = await run(['apt-get', 'install', '-y', '--no-install-recommends', 'qemu-system-x86'], { env, timeoutMs: 900_000 });
    if (r.code !== 0) throw new Error(`apt-get install qemu-system-x86 failed:\n${r.stderr.slice(-2000)}`);
  });
}

async function bootLab(s: Steps, lab: Lab): Promise<void> {
  const reuse = process.env.XEN_TEST_REUSE_LAB === '1';
  if (!reuse && (await lab.status()).code !== 3) {
    await s.step('stop a lab left running by an earlier run', async () => { await lab.stop(); });
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
      if (c !== 0 && reached) throw new Error(`dom0 was reached but never became ready (serve exit ${c}); not retried:\n${lines.slice(-30).join('\n')}`);
      return c;
    });
    if (code === 0) return;
    if (i >= attempts) throw new StepFailed('lab boot', `the lab never reached dom0 in ${attempts} attempts:\n${lines.slice(-30).join('\n')}`);
    s.line(`lab boot never reached dom0 (serve exit ${code}); stopping and retrying`);
    await lab.stop();
  }
}

async function prepareDom0(s: Steps, lab: Lab): Promise<void> {
  const reuse = process.env.XEN_TEST_REUSE_LAB === '1';
  const haveNode = reuse && (await lab.exec(['sh', '-c', 'test -x /usr/local/bin/node && test -x /usr/local/bin/terraform'])).code === 0;
  if (!haveNode) {
    await s.step('lab: install node + terraform in dom0', async () => {
      const out: string[] = [];
      const c = await lab.installNode((l) => out.push(l));
      if (c !== 0) throw new Error(`install-node failed (exit ${c}):\n${out.slice(-20).join('\n')}`);
    });
  }
  await s.step('lab: copy the provider, the HCL scenarios and the dom0 helpers', async () => {
    const stage = path.join(ARTIFACTS, 'stage');
    rmSync(stage, { recursive: true, force: true });
    mkdirSync(stage, { recursive: true });
    const cli = path.join(stage, 'cli.tfrc');
    writeFileSync(cli, cliConfig(`${REMOTE}/dist`));
    const prep = await lab.exec(['sh', '-c', `rm -rf ${REMOTE} && mkdir -p ${REMOTE}/dist ${REMOTE}/tf ${REMOTE}/logs`]);
    if (prep.code !== 0) throw new Error(`mkdir in dom0 failed: ${prep.stderr}`);
    const puts: Array<[string, string]> = [
      [path.join(CHECKOUT, 'dist', 'terraform-provider-xen'), `${REMOTE}/dist/`],
      [path.join(CHECKOUT, 'dist', 'terraform-provider-xen.v8cache'), `${REMOTE}/dist/`],
      [cli, `${REMOTE}/`],
      [path.join(CHECKOUT, 'test', 'xen', 'dom0'), `${REMOTE}`],
      [path.join(CHECKOUT, 'test', 'xen', 'scenarios', 'seed'), `${REMOTE}/tf`],
      [path.join(CHECKOUT, 'test', 'xen', 'scenarios', 'extra'), `${REMOTE}/tf`],
    ];
    for (const [from, to] of puts) {
      const r = await lab.put(from, to);
      if (r.code !== 0) throw new Error(`put ${from} ${to} failed: ${r.stderr}`);
    }
  });
}

async function collect(lab: Lab): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await lab.get(DOM0_RECORD, RECORDS[1]);
  await lab.get(`${REMOTE}/logs`, ARTIFACTS);
  await lab.get('/var/log/xen', ARTIFACTS);
}

/** dom0's host key as dropbear keeps it (made at the first connection after boot), as the line that pins it. */
async function pinnedHostKey(lab: Lab): Promise<string> {
  const r = await lab.exec(['base64', '/etc/dropbear/dropbear_ed25519_host_key']);
  if (r.code !== 0) fail('cannot read dropbear\'s ed25519 host key in dom0', r);
  return `[127.0.0.1]:${LAB_PORT} ssh-ed25519 ${dropbearEd25519Public(Buffer.from(r.stdout.replace(/\s+/g, ''), 'base64'))}`;
}

/**
 * A key for the provider whose authorized_keys line in dom0 forces the restricted dom0 command, as the remote dom0
 * guide sets it up (dropbear knows command= and the no-* options).
 */
async function restrictedLogin(s: Steps, lab: Lab): Promise<string> {
  return s.step('dom0: install the restricted command and a key limited to it (authorized_keys command=...)', async () => {
    const dir = path.join(ARTIFACTS, 'ssh');
    mkdirSync(dir, { recursive: true });
    const key = path.join(dir, 'restricted');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'terraform-ci', '-f', key]);
    expectCode(await lab.exec(['mkdir', '-p', path.dirname(DOM0_SCRIPT)]), [0], 'mkdir');
    const put = await lab.put(path.join(CHECKOUT, 'dist', 'terraform-provider-xen-dom0'), DOM0_SCRIPT);
    if (put.code !== 0) fail('copying the restricted command into dom0 failed', put);
    const line = `command="${DOM0_SCRIPT}",no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-pty ${readFileSync(`${key}.pub`, 'utf8').trim()}`;
    expectCode(await lab.sh(`printf '%s\\n' '${line}' >> /root/.ssh/authorized_keys`), [0], 'append to authorized_keys');
    return key;
  });
}

/** Local copies of the scenarios (their state stays here) and a CLI config that points Terraform at dist/. */
function stageLocal(): { tfRoot: string; cli: string } {
  const tfRoot = path.join(ARTIFACTS, 'tf');
  rmSync(tfRoot, { recursive: true, force: true });
  for (const dir of ['seed', 'extra']) cpSync(path.join(CHECKOUT, 'test', 'xen', 'scenarios', dir), path.join(tfRoot, dir), { recursive: true });
  const cli = path.join(ARTIFACTS, 'cli-local.tfrc');
  writeFileSync(cli, cliConfig(path.join(CHECKOUT, 'dist')));
  return { tfRoot, cli };
}

/** XEN_TEST_FIDELITY_ONLY=record.jsonl[,record.jsonl...]: only the comparison, on records from an earlier run. */
async function fidelityOnly(records: string[]): Promise<number> {
  const r = await runFidelity({
    records,
    xlSim: path.join(CHECKOUT, 'dist', 'xl-sim'),
    inventory: path.join(CHECKOUT, 'test', 'unit', 'sim', 'lab-inventory.json'),
    workDir: path.join(ARTIFACTS, 'sim'),
  });
  writeFileSync(path.join(ARTIFACTS, 'fidelity.txt'), r.report);
  process.stdout.write(r.report);
  return r.failures > 0 ? 1 : 0;
}

async function main(): Promise<number> {
  if (process.env.XEN_TEST_FIDELITY_ONLY) {
    mkdirSync(ARTIFACTS, { recursive: true });
    return fidelityOnly(process.env.XEN_TEST_FIDELITY_ONLY.split(',').map((f) => path.resolve(f)));
  }
  const s = new Steps();
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  s.line(`real Xen stage; artifacts in ${ARTIFACTS}`);
  const lab = new Lab({ script: process.env.XEN_LAB ?? defaultLabScript(CHECKOUT) });
  let failed: StepFailed | undefined;
  let labUp = false;
  try {
    await s.step('build the provider (npm run build)', async () => {
      const out: string[] = [];
      const c = await runStreaming([process.execPath, path.join(CHECKOUT, 'scripts', 'build.mjs')], (l) => out.push(l));
      if (c !== 0) throw new Error(`build failed:\n${out.join('\n')}`);
    });
    await ensureQemu(s);
    await bootLab(s, lab);
    labUp = true;
    const look = new Look(lab);
    const knownHosts = await s.step('dom0: read its host key (new at every boot) to pin it', () => pinnedHostKey(lab));
    const key = await restrictedLogin(s, lab);
    const { tfRoot, cli } = stageLocal();
    const connection = `ssh://root@127.0.0.1:${LAB_PORT}/usr/sbin/xl`;
    const login: SshLogin = { connection, knownHosts, identityFile: key };
    const overSsh = new OverSsh(lab, login, tfRoot, cli, RECORDS[0], path.join(ARTIFACTS, 'logs-ssh'));

    await s.step('ssh: a wrong pinned host key is refused before anything runs', async () => {
      const wrongKey = path.join(ARTIFACTS, 'ssh', 'not-dom0');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
      const wrong = `[127.0.0.1]:${LAB_PORT} ${readFileSync(`${wrongKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ')}`;
      const record = path.join(ARTIFACTS, 'record-0-wrong-key.jsonl');
      const r = await overSsh.with({ knownHosts: wrong }, record).tf('seed', ['plan', '-parallelism=1']);
      expectCode(r, [1], 'plan with a wrong pinned host key');
      const text = r.stdout + r.stderr;
      if (!/dom0 host key mismatch/.test(text) || !text.includes(knownHosts)) fail('the refusal does not show the key dom0 presented and the line to pin', r);
      if (readFileSync(record, 'utf8').trim() !== '') fail(`commands ran on dom0 despite the wrong key:\n${readFileSync(record, 'utf8')}`);
    });
    await runSeed(s, overSsh, look);

    await prepareDom0(s, lab);
    const inDom0 = new InDom0(lab);
    await s.step('in dom0: the state applied over ssh, planned inside dom0 with xl:///usr/sbin/xl, shows no changes', async () => {
      const put = await lab.put(path.join(tfRoot, 'seed', 'terraform.tfstate'), `${REMOTE}/tf/seed/terraform.tfstate`);
      if (put.code !== 0) fail('copying the state into dom0 failed', put);
      await planExpect(inDom0, 'seed', {}, MEM);
    });
    await runExtra(s, inDom0, look);

    const plain = overSsh.with({ identityFile: path.join(LAB_WORK, 'ssh', 'id_ed25519') }, RECORDS[2]);
    if (!existsSync(plain.login.identityFile)) fail(`the lab's key ${plain.login.identityFile} is missing (WORK=${LAB_WORK})`);
    await runSeedDestroy(s, plain, look);
  } catch (e) {
    failed = e instanceof StepFailed ? e : new StepFailed('harness', (e as Error).stack ?? String(e));
  }
  if (labUp) {
    await s.step('lab: collect the command record and logs', () => collect(lab)).catch(() => undefined);
  }
  if (!failed) {
    try {
      await s.step('fidelity: replay every recorded command on the simulator and compare', async () => {
        const r = await runFidelity({
          records: RECORDS,
          xlSim: path.join(CHECKOUT, 'dist', 'xl-sim'),
          inventory: path.join(CHECKOUT, 'test', 'unit', 'sim', 'lab-inventory.json'),
          workDir: path.join(ARTIFACTS, 'sim'),
        });
        writeFileSync(path.join(ARTIFACTS, 'fidelity.txt'), r.report);
        s.line(`     ${r.summary}`);
        if (r.failures > 0) throw new Error(`${r.failures} command(s) differ between real xl and the simulator:\n${r.report}`);
      });
    } catch (e) {
      failed = e as StepFailed;
    }
  }
  if (labUp && process.env.XEN_TEST_KEEP_LAB !== '1' && process.env.XEN_TEST_REUSE_LAB !== '1') {
    await s.step('lab: stop', async () => { await lab.stop(); }).catch(() => undefined);
  }
  const timings = s.done.map((d) => `${d.ok ? 'ok  ' : 'FAIL'} ${formatDuration(d.ms).padStart(7)}  ${d.name}`).join('\n');
  writeFileSync(path.join(ARTIFACTS, 'timings.txt'), `${timings}\ntotal ${s.elapsed()}\n`);
  if (failed) {
    s.line(`FAILED in step "${failed.step}" after ${s.elapsed()}:`);
    process.stdout.write(failed.message + '\n');
    return 1;
  }
  s.line(`passed in ${s.elapsed()}`);
  return 0;
}

main().then((c) => process.exit(c), (e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
