// `npm run test:xen-flask`: the provider against the lab's Xen built with XSM/FLASK (FLASK=1, Xen's example policy,
// flask=enforcing), over ssh through the restricted dom0 command, one lab boot for all of it; then the fidelity check
// of the simulated host (started from the FLASK lab's inventory) against what real xl and flask-label-pci printed.
//
//   the example policy loaded (xen_flask_policy, the compiled $WORK/flask/xenpolicy-4.17 copied to /boot) and
//   enforcing; the e1000 labelled nic_dev_t and passed to a network driver domain labelled domU_t; a client (domU_t)
//   whose vif it serves; labels as planned (xl list -Z); a device type as a domain label refused at plan with nothing
//   created; enforcement toggled in place; destroy to a bare host.
//
// Quarantine: Xen's example policy does not let dom0_t add devices to domio_t, so `xl pci-assignable-add` fails under
// it (docs/guides/flask.md), and booting with iommu=no-quarantine does not change that (seen in this stage's first run,
// 2026-12-02: libxl still assigns the device to dom_io, and FLASK checks it). So the stage loads the example policy
// compiled (checkpolicy, from the lab's policy.conf) with the two rules the quarantine needs; the refused quarantine
// itself is pinned by the fixture test (test/xen/flask-fidelity.test.ts) and the simulator.
//
// Env as for test:xen (XEN_TEST_ARTIFACTS default /tmp/test-xen-flask-artifacts, XEN_TEST_REUSE_LAB, XEN_TEST_KEEP_LAB,
// WORK, SSH_PORT). The HVM step (test/xen/hvm.ts) runs in the main stage only.

import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliConfig } from '../support/terraform';
import { OverSsh, type SshLogin } from './drivers';
import { runFidelity } from './fidelity';
import { defaultLabScript, Lab, runStreaming } from './lab';
import { bootLab, ensureQemu, pinnedHostKey, restrictedLogin, whereFromEnv } from './setup';
import { applyExpect, expectCode, fail, Look, planExpect } from './scenario';
import { StepFailed, Steps, finishStage } from './steps';

const CHECKOUT = path.resolve(__dirname, '..');
// A subdirectory when XEN_TEST_ARTIFACTS is given: .ci/run runs both stages with one setting, and this stage starts by
// emptying its directory, which would otherwise take the main stage's records and timings with it.
const ARTIFACTS = process.env.XEN_TEST_ARTIFACTS
  ? path.join(process.env.XEN_TEST_ARTIFACTS, 'flask')
  : '/tmp/test-xen-flask-artifacts';
const WHERE = whereFromEnv(CHECKOUT, ARTIFACTS);
const RECORD = path.join(ARTIFACTS, 'record-flask-ssh.jsonl');
const POLICY = '/boot/xenpolicy-4.17-quarantine';
/** What the quarantine needs beyond Xen's example policy: dom0 moves devices in and out of dom_io, which may map the NIC. */
const QUARANTINE_RULES = [
  'allow dom0_t domio_t:resource { add remove };',
  'allow domio_t nic_dev_t:resource use_iommu;',
];
const NIC = '0000:00:05.0';

const ALL = {
  'xen_flask_policy.policy': 'create',
  'xen_pci_assignable.nic': 'create',
  'xen_driver_domain.net': 'create',
  'xen_domain.client': 'create',
  'xen_vif.client0': 'create',
} as const;

/** The FLASK lab's inventory with the policy this stage loads: one that allows the quarantine. */
function stageInventory(): string {
  const inv = JSON.parse(readFileSync(path.join(CHECKOUT, 'test', 'unit', 'sim', 'lab-flask-inventory.json'), 'utf8'));
  inv.flask_allows_quarantine = true;
  delete inv.$schema;
  const file = path.join(ARTIFACTS, 'lab-flask-inventory.json');
  writeFileSync(file, JSON.stringify(inv, null, 2));
  return file;
}

/** Xen's example policy (the lab's policy.conf) with QUARANTINE_RULES after its first dom0_t rule, compiled as the lab does. */
async function quarantinePolicy(): Promise<string> {
  const conf = readFileSync(path.join(WHERE.labWork, 'flask', 'polbuild', 'policy.conf'), 'utf8').split('\n');
  const at = conf.findIndex((l) => /^\s*allow dom0_t /.test(l));
  if (at < 0) throw new Error('no "allow dom0_t" rule in the lab\'s policy.conf');
  conf.splice(at + 1, 0, ...QUARANTINE_RULES.map((r) => `\t${r}`));
  const src = path.join(ARTIFACTS, 'policy-quarantine.conf');
  const out = path.join(ARTIFACTS, 'xenpolicy-4.17-quarantine');
  writeFileSync(src, conf.join('\n'));
  const lines: string[] = [];
  const c = await runStreaming(['checkpolicy', '-t', 'Xen', '-c', '30', '-o', out, src], (l) => lines.push(l));
  if (c !== 0) throw new Error(`checkpolicy failed (exit ${c}):\n${lines.join('\n')}`);
  return out;
}

/** `xl list -Z` as name -> label. */
async function labels(look: Look): Promise<Record<string, string>> {
  const r = await look.exec(['xl', 'list', '-Z']);
  if (r.code !== 0) fail('xl list -Z failed', r);
  return Object.fromEntries(
    r.stdout
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => {
        const f = l.trim().split(/\s+/);
        return [f[0], f[f.length - 1]];
      }),
  );
}

async function getenforce(look: Look): Promise<string> {
  return (await look.exec(['xl', 'getenforce'])).stdout.trim();
}

async function main(): Promise<number> {
  const s = new Steps();
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  s.line(`real Xen FLASK stage; artifacts in ${ARTIFACTS}`);
  const lab = new Lab({
    script: process.env.XEN_LAB ?? defaultLabScript(CHECKOUT),
    env: { FLASK: '1', FLASK_MODE: 'enforcing' },
  });
  let failed: StepFailed | undefined;
  /** Steps whose failure is reported but does not stop the stage (what they check lands with other work). */
  const soft: StepFailed[] = [];
  let labUp = false;
  try {
    await s.step('build the provider (npm run build)', async () => {
      const out: string[] = [];
      const c = await runStreaming([process.execPath, path.join(CHECKOUT, 'scripts', 'build.mjs')], (l) => out.push(l));
      if (c !== 0) throw new Error(`build failed:\n${out.join('\n')}`);
    });
    await ensureQemu(s);
    await s.step('lab: Xen with XSM/FLASK and the example policy (run.sh build-flask; reused when built)', async () => {
      const out: string[] = [];
      const c = await runStreaming(
        [process.env.XEN_LAB ?? defaultLabScript(CHECKOUT), 'build-flask'],
        (l) => out.push(l),
        { env: lab.env, timeoutMs: 1_800_000 },
      );
      if (c !== 0) throw new Error(`build-flask failed (exit ${c}):\n${out.slice(-30).join('\n')}`);
    });
    await bootLab(s, lab);
    labUp = true;
    const look = new Look(lab);
    await s.step('lab: booted with flask=enforcing; Domain-0 is dom0_t', async () => {
      const mode = await getenforce(look);
      if (mode !== 'Enforcing') fail(`xl getenforce says ${JSON.stringify(mode)}, not Enforcing`);
      const l = await labels(look);
      if (l['Domain-0'] !== 'system_u:system_r:dom0_t') fail(`Domain-0 is labelled ${l['Domain-0']}`);
    });
    const knownHosts = await s.step('dom0: read its host key (new at every boot) to pin it', () =>
      pinnedHostKey(lab, WHERE),
    );
    const key = await restrictedLogin(s, lab, WHERE);
    const policyFile = await s.step(
      `policy: Xen's example policy + ${QUARANTINE_RULES.join(' ')} (checkpolicy)`,
      quarantinePolicy,
    );
    await s.step(`dom0: the compiled policy into the policy dir (${POLICY})`, async () => {
      const put = await lab.put(policyFile, POLICY);
      if (put.code !== 0) fail('copying the policy into dom0 failed', put);
    });

    const tfRoot = path.join(ARTIFACTS, 'tf');
    cpSync(path.join(CHECKOUT, 'test', 'xen', 'scenarios', 'flask'), path.join(tfRoot, 'flask'), { recursive: true });
    const cli = path.join(ARTIFACTS, 'cli-local.tfrc');
    writeFileSync(cli, cliConfig(path.join(CHECKOUT, 'dist')));
    const login: SshLogin = {
      connection: `ssh://root@127.0.0.1:${WHERE.labPort}/usr/sbin/xl`,
      knownHosts,
      identityFile: key,
    };
    const d = new OverSsh(lab, login, tfRoot, cli, RECORD, path.join(ARTIFACTS, 'logs-ssh'));
    // The first apply makes ~60 xl calls at 1-3 s each under TCG, two domain creates and the devd/vif waits: on a
    // loaded 2-core machine it passed Terraform's default 10 minutes here (2026-12-02).
    const tf = d.tf.bind(d);
    d.tf = (dir, args, timeoutMs = 1_800_000) => tf(dir, args, timeoutMs);

    await s.step(
      'flask over ssh: apply (policy loaded and enforcing, NIC labelled nic_dev_t and assignable, driver domain domU_t with it, client domU_t, vif)',
      async () => {
        const r = await applyExpect(d, 'flask', { ...ALL });
        if ((await getenforce(look)) !== 'Enforcing') fail('not enforcing after apply');
        if ((await d.recorded('"loadpolicy"')) < 1) fail('xl loadpolicy did not run');
        // Before pci-assignable-add (the quarantine sees nic_dev_t) and after it (the IRQ pciback's enable assigned).
        if ((await d.recorded(`"flask-label-pci","${NIC}","system_u:object_r:nic_dev_t"`)) !== 2)
          fail('flask-label-pci did not run twice for the NIC');
        const pci = await look.exec(['xl', 'pci-list', 'netdd']);
        if (!pci.stdout.includes(NIC)) fail(`${NIC} not passed through to netdd`, pci);
        await look.vifConnected('client', 'netdd', 0, 60);
        if (/Xen refused to quarantine/.test(r.stdout + r.stderr)) fail('the quarantine was refused', r);
      },
    );
    await s.step('flask over ssh: labels as planned (xl list -Z): netdd and client domU_t', async () => {
      const l = await labels(look);
      for (const n of ['netdd', 'client'])
        if (l[n] !== 'system_u:system_r:domU_t') fail(`${n} runs labelled ${l[n]}: ${JSON.stringify(l)}`);
    });
    await s.step('flask over ssh: plan -detailed-exitcode shows no changes', () => planExpect(d, 'flask', {}));

    try {
      await s.step(
        'flask over ssh: a device type as a domain label (system_u:system_r:nic_dev_t) is refused at plan on seclabel, nothing created',
        async () => {
          const r = await d.tf('flask', ['plan', '-parallelism=1', '-var', 'bad_label=true']);
          expectCode(r, [1], 'plan with a device type as a domain label');
          const text = r.stdout + r.stderr;
          if (!/nic_dev_t/.test(text) || !/seclabel/.test(text))
            fail('the refusal does not name the label and seclabel', r);
          if ((await look.domains()).includes('badlabel')) fail('a domain was created by a refused plan');
        },
      );
    } catch (e) {
      soft.push(e as StepFailed);
      s.line(
        "     (the plan-time check of labels against the compiled policy is another branch's; until it merges this step fails)",
      );
    }

    await s.step(
      'flask over ssh: enforcing = false -> xl getenforce Permissive, in place; domains untouched',
      async () => {
        const before = await look.domid('netdd');
        await applyExpect(d, 'flask', { 'xen_flask_policy.policy': 'update' }, ['-var', 'enforcing=false']);
        if ((await getenforce(look)) !== 'Permissive') fail('not permissive');
        if ((await look.domid('netdd')) !== before) fail('netdd was re-created');
      },
    );
    await s.step('flask over ssh: enforcing = true again -> Enforcing, then no changes', async () => {
      await applyExpect(d, 'flask', { 'xen_flask_policy.policy': 'update' });
      if ((await getenforce(look)) !== 'Enforcing') fail('not enforcing again');
      await planExpect(d, 'flask', {});
    });
    await s.step('flask over ssh: destroy -> only Domain-0, nothing assignable', async () => {
      const r = await d.tf('flask', ['destroy', '-auto-approve', '-parallelism=1']);
      expectCode(r, [0], 'destroy flask');
      const doms = await look.domains();
      if (doms.join(',') !== 'Domain-0') fail(`domains left: ${doms.join(', ')}`);
      const a = await look.assignable();
      if (a.length !== 0) fail(`still assignable: ${a.join(', ')}`);
    });
  } catch (e) {
    failed = e instanceof StepFailed ? e : new StepFailed('harness', (e as Error).stack ?? String(e));
  }
  if (labUp) {
    await s
      .step('lab: collect the hypervisor log and /var/log/xen', async () => {
        const dm = await lab.exec(['xl', 'dmesg']);
        writeFileSync(path.join(ARTIFACTS, 'xl-dmesg.txt'), dm.stdout);
        await lab.get('/var/log/xen', ARTIFACTS);
      })
      .catch(() => undefined);
  }
  if (!failed && existsSync(RECORD)) {
    try {
      await s.step(
        'fidelity: replay every recorded command on the simulator (FLASK lab inventory) and compare',
        async () => {
          const local = path.join(ARTIFACTS, 'xenpolicy-4.17-quarantine');
          const r = await runFidelity({
            records: [RECORD],
            xlSim: path.join(CHECKOUT, 'dist', 'xl-sim'),
            inventory: stageInventory(),
            workDir: path.join(ARTIFACTS, 'sim'),
            compare: { selfBuiltXen: true },
            substitute: { [POLICY]: local },
          });
          writeFileSync(path.join(ARTIFACTS, 'fidelity.txt'), r.report);
          s.line(`     ${r.summary}`);
          if (r.failures > 0)
            throw new Error(`${r.failures} command(s) differ between real xl and the simulator:\n${r.report}`);
        },
      );
    } catch (e) {
      failed = e as StepFailed;
    }
  }
  return finishStage(s, { artifacts: ARTIFACTS, stopLab: labUp ? () => lab.stop() : undefined, failed, soft });
}

main().then(
  (c) => process.exit(c),
  (e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  },
);
