// `npm run test:xen`: the provider against real Xen 4.17.7 in ../shared/xen-lab, then the fidelity check of the
// simulated host against what real xl printed in that run. Prints one line per step with its time.
//
// Env: XEN_TEST_ARTIFACTS (default /tmp/test-xen-artifacts), XEN_TEST_REUSE_LAB=1 (keep a running lab and its node;
// for development, CI never sets it), XEN_TEST_KEEP_LAB=1 (do not stop the lab at the end), XEN_LAB (run.sh path),
// XEN_TEST_BOOT_ATTEMPTS (default 3; only boots that never reached dom0 are retried).

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runFidelity } from './fidelity';
import { defaultLabScript, Lab, run, runStreaming } from './lab';
import { Dom0, RECORD, REMOTE, runScenario } from './scenario';
import { StepFailed, Steps, formatDuration } from './steps';

const CHECKOUT = path.resolve(__dirname, '..');
const ARTIFACTS = process.env.XEN_TEST_ARTIFACTS ?? '/tmp/test-xen-artifacts';
const PROVIDER_SOURCE = 'registry.terraform.io/xen-project/xen';

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
    writeFileSync(cli, `provider_installation {\n  dev_overrides {\n    "${PROVIDER_SOURCE}" = "${REMOTE}/dist"\n  }\n  direct {}\n}\n`);
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
  await lab.get(RECORD, path.join(ARTIFACTS, 'record.jsonl'));
  await lab.get(`${REMOTE}/logs`, ARTIFACTS);
  await lab.get('/var/log/xen', ARTIFACTS);
}

/** XEN_TEST_FIDELITY_ONLY=record.jsonl: only the comparison, on a record from an earlier run (no lab). */
async function fidelityOnly(record: string): Promise<number> {
  const r = await runFidelity({
    record,
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
    return fidelityOnly(path.resolve(process.env.XEN_TEST_FIDELITY_ONLY));
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
    await prepareDom0(s, lab);
    await runScenario(s, new Dom0(lab));
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
          record: path.join(ARTIFACTS, 'record.jsonl'),
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
