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
// XEN_TEST_BOOT_ATTEMPTS (default 3; only boots that never reached dom0 are retried), XEN_TEST_HVM=0 (skip the HVM
// guest with QEMU in dom0 of test/xen/hvm.ts, which runs after the seed's destroy); the lab's WORK and SSH_PORT.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DOM0_RECORD, InDom0, OverSsh, REMOTE, type SshLogin } from './drivers';
import { runFidelity } from './fidelity';
import { defaultLabScript, Lab, runStreaming } from './lab';
import { bootLab, ensureQemu, pinnedHostKey, prepareDom0, restrictedLogin, stageLocal, whereFromEnv } from './setup';
import { Look, MEM, planExpect, runExtra, runSeed, runSeedDestroy, expectCode, fail } from './scenario';
import { StepFailed, Steps, finishStage } from './steps';
import { runHvm } from './hvm';

const CHECKOUT = path.resolve(__dirname, '..');
const ARTIFACTS = process.env.XEN_TEST_ARTIFACTS ?? '/tmp/test-xen-artifacts';
const WHERE = whereFromEnv(CHECKOUT, ARTIFACTS);
/** The records, one per phase and clock, in the order the host saw them. */
const RECORDS = ['record-1-ssh.jsonl', 'record-2-dom0.jsonl', 'record-3-ssh.jsonl'].map((f) => path.join(ARTIFACTS, f));

async function collect(lab: Lab): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await lab.get(DOM0_RECORD, RECORDS[1]);
  await lab.get(`${REMOTE}/logs`, ARTIFACTS);
  await lab.get('/var/log/xen', ARTIFACTS);
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
    const knownHosts = await s.step('dom0: read its host key (new at every boot) to pin it', () =>
      pinnedHostKey(lab, WHERE),
    );
    const key = await restrictedLogin(s, lab, WHERE);
    const { tfRoot, cli } = stageLocal(WHERE);
    const connection = `ssh://root@127.0.0.1:${WHERE.labPort}/usr/sbin/xl`;
    const login: SshLogin = { connection, knownHosts, identityFile: key };
    const overSsh = new OverSsh(lab, login, tfRoot, cli, RECORDS[0], path.join(ARTIFACTS, 'logs-ssh'));

    await s.step('ssh: a wrong pinned host key is refused before anything runs', async () => {
      const wrongKey = path.join(ARTIFACTS, 'ssh', 'not-dom0');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
      const wrong = `[127.0.0.1]:${WHERE.labPort} ${readFileSync(`${wrongKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ')}`;
      const record = path.join(ARTIFACTS, 'record-0-wrong-key.jsonl');
      const r = await overSsh.with({ knownHosts: wrong }, record).tf('seed', ['plan', '-parallelism=1']);
      expectCode(r, [1], 'plan with a wrong pinned host key');
      const text = r.stdout + r.stderr;
      if (!/dom0 host key mismatch/.test(text) || !text.includes(knownHosts))
        fail('the refusal does not show the key dom0 presented and the line to pin', r);
      // The provider records what it tried; none of it may have run (a command that ran has an exit code).
      const ran = readFileSync(record, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '' && JSON.parse(l).exitCode !== null);
      if (ran.length > 0) fail(`commands ran on dom0 despite the wrong key:\n${ran.join('\n')}`);
    });
    await runSeed(s, overSsh, look);

    await prepareDom0(s, lab, WHERE);
    const inDom0 = new InDom0(lab);
    await s.step(
      'in dom0: the state applied over ssh, planned inside dom0 with xl:///usr/sbin/xl, shows no changes',
      async () => {
        const put = await lab.put(
          path.join(tfRoot, 'seed', 'terraform.tfstate'),
          `${REMOTE}/tf/seed/terraform.tfstate`,
        );
        if (put.code !== 0) fail('copying the state into dom0 failed', put);
        await planExpect(inDom0, 'seed', {}, MEM);
      },
    );
    await runExtra(s, inDom0, look);

    const plain = overSsh.with({ identityFile: path.join(WHERE.labWork, 'ssh', 'id_ed25519') }, RECORDS[2]);
    if (!existsSync(plain.login.identityFile))
      fail(`the lab's key ${plain.login.identityFile} is missing (WORK=${WHERE.labWork})`);
    await runSeedDestroy(s, plain, look);
    // The HVM guest needs the device model copied into dom0 and about a minute of firmware under TCG. Its commands go
    // to a record of their own, outside the fidelity comparison (the simulator has no HVM boot to replay).
    if (process.env.XEN_TEST_HVM !== '0')
      await runHvm(s, overSsh.with({}, path.join(ARTIFACTS, 'record-hvm-ssh.jsonl')), look, ARTIFACTS, WHERE.labWork);
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
        if (r.failures > 0)
          throw new Error(`${r.failures} command(s) differ between real xl and the simulator:\n${r.report}`);
      });
    } catch (e) {
      failed = e as StepFailed;
    }
  }
  return finishStage(s, { artifacts: ARTIFACTS, stopLab: labUp ? () => lab.stop() : undefined, failed });
}

main().then(
  (c) => process.exit(c),
  (e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  },
);
