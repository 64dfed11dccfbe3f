// The seed scenario and its follow-ups on real Xen, checked with real xl / xenstore reads in dom0. Each phase runs
// through a Driver (drivers.ts): Terraform here with dom0 reached over ssh, or Terraform inside dom0. The user's drift
// goes through Driver.hand so that it is recorded for the fidelity check.

import type { CmdResult, Lab } from './lab';
import { REMOTE, type Driver } from './drivers';
import { parsePlan, planMismatch, type PlanAction } from './plan';
import { StepFailed, type Steps } from './steps';

const NIC = '0000:00:05.0';
export const RENDERED = '/var/lib/terraform-provider-xen/configs';

function tail(r: CmdResult, n = 3000): string {
  return `exit ${r.code}\n--- stdout ---\n${r.stdout.slice(-n)}\n--- stderr ---\n${r.stderr.slice(-n)}`;
}

function fail(msg: string, r?: CmdResult): never {
  throw new Error(r ? `${msg}\n${tail(r)}` : msg);
}

/** The harness's own look at dom0: not recorded, not part of the fidelity comparison. */
export class Look {
  constructor(readonly lab: Lab) {}

  async domid(name: string): Promise<number> {
    const r = await this.lab.exec(['xl', 'domid', name]);
    if (r.code !== 0) fail(`xl domid ${name} failed`, r);
    return Number(r.stdout.trim());
  }

  async domains(): Promise<string[]> {
    const r = await this.lab.exec(['xl', 'list']);
    if (r.code !== 0) fail('xl list failed', r);
    return r.stdout
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/)[0])
      .filter(Boolean);
  }

  async assignable(): Promise<string[]> {
    const r = await this.lab.exec(['xl', 'pci-assignable-list']);
    if (r.code !== 0) fail('xl pci-assignable-list failed', r);
    return r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  }

  exec(argv: string[]): Promise<CmdResult> {
    return this.lab.exec(argv);
  }

  /** Polls in dom0 (one ssh round trip) until every xenstore PATH=VALUE holds, or fails after `limitS`. */
  async waitXenstore(want: Record<string, string>, limitS: number): Promise<number> {
    const conds = Object.entries(want)
      .map(([p, v]) => `[ "$(xenstore-read ${p} 2>/dev/null)" = "${v}" ]`)
      .join(' && ');
    const script =
      `t=0; while [ $t -lt ${limitS} ]; do if ${conds}; then echo $t; exit 0; fi; sleep 1; t=$((t+1)); done; ` +
      `for p in ${Object.keys(want).join(' ')}; do echo "$p=$(xenstore-read $p 2>&1)"; done; exit 1`;
    const r = await this.lab.sh(script, (limitS + 60) * 1000);
    if (r.code !== 0) fail(`xenstore did not reach ${JSON.stringify(want)} within ${limitS}s`, r);
    return Number(r.stdout.trim());
  }

  async vifConnected(frontend: string, backend: string, devid: number, limitS = 120): Promise<void> {
    const [fe, be] = await Promise.all([this.domid(frontend), this.domid(backend)]);
    const p = `/local/domain/${be}/backend/vif/${fe}/${devid}`;
    await this.waitXenstore({ [`${p}/state`]: '4', [`${p}/hotplug-status`]: 'connected' }, limitS);
  }
}

function expectCode(r: CmdResult, codes: number[], what: string): void {
  if (!codes.includes(r.code)) fail(`${what}: exit ${r.code}, expected ${codes.join(' or ')}`, r);
}

export async function planExpect(
  d: Driver,
  dir: string,
  want: Record<string, PlanAction>,
  vars: string[] = [],
): Promise<void> {
  const r = await d.tf(dir, ['plan', '-detailed-exitcode', '-parallelism=1', ...vars]);
  const empty = Object.keys(want).length === 0;
  expectCode(r, [empty ? 0 : 2], `plan in ${dir}`);
  const m = planMismatch(parsePlan(r.stdout), want);
  if (m) fail(m, r);
}

/** apply -auto-approve prints the plan it carries out: that plan must be exactly `want`. */
async function applyExpect(
  d: Driver,
  dir: string,
  want: Record<string, PlanAction>,
  vars: string[] = [],
): Promise<CmdResult> {
  const r = await d.tf(dir, ['apply', '-auto-approve', '-parallelism=1', ...vars]);
  expectCode(r, [0], `apply in ${dir}`);
  const m = planMismatch(parsePlan(r.stdout), want);
  if (m) fail(m, r);
  return r;
}

const SEED_ALL: Record<string, PlanAction> = {
  'xen_pci_assignable.nic': 'create',
  'xen_driver_domain.net': 'create',
  'xen_domain.client': 'create',
  'xen_vif.client0': 'create',
};

/** Client memory after the in-place step: later plans of the seed pass it, or they would plan it back. */
export const MEM = ['-var', 'client_memory=200'];

/** The seed: apply, empty plan, both drifts repaired, memory in place, PCI detach and attach on the running driver domain. */
export async function runSeed(s: Steps, d: Driver, look: Look): Promise<void> {
  await s.step(
    `seed ${d.where}: apply (NIC assignable, driver domain with it, client, vif served by the driver domain)`,
    async () => {
      await applyExpect(d, 'seed', SEED_ALL);
      const doms = await look.domains();
      for (const n of ['Domain-0', 'netdd', 'client'])
        if (!doms.includes(n)) fail(`${n} not running after apply: ${doms.join(', ')}`);
      const pci = await look.exec(['xl', 'pci-list', 'netdd']);
      if (!pci.stdout.includes(NIC)) fail(`${NIC} not passed through to netdd`, pci);
      await look.vifConnected('client', 'netdd', 0, 30);
      if ((await d.recorded('"create","-n"')) < 3) fail('the plan did not run xl create -n for the new domains');
      const mode = await look.exec(['stat', '-c', '%a', RENDERED, `${RENDERED}/netdd.cfg`]);
      if (mode.stdout.trim().split('\n').join(' ') !== '700 600')
        fail(`rendered configs are not private on dom0 (want 700 600)`, mode);
    },
  );
  await s.step(`seed ${d.where}: plan -detailed-exitcode shows no changes`, () => planExpect(d, 'seed', {}));

  await s.step(
    `drift ${d.where}: xl network-detach by hand -> the plan re-creates exactly the vif -> connected again`,
    async () => {
      expectCode(await d.hand(['xl', 'network-detach', 'client', '0']), [0], 'xl network-detach');
      await applyExpect(d, 'seed', { 'xen_vif.client0': 'create' });
      await look.vifConnected('client', 'netdd', 0, 30);
    },
  );

  await s.step(
    `drift ${d.where}: driver domain destroyed and re-created by hand without its frontends -> the plan replaces exactly the vif -> connected`,
    async () => {
      const old = await look.domid('netdd');
      expectCode(await d.hand(['xl', 'destroy', 'netdd']), [0], 'xl destroy netdd');
      expectCode(await d.hand(['xl', 'create', `${RENDERED}/netdd.cfg`], 180_000), [0], 'xl create netdd.cfg');
      const now = await look.domid('netdd');
      if (now === old) fail(`netdd kept domid ${old} across destroy/create`);
      await applyExpect(d, 'seed', { 'xen_vif.client0': 'replace' });
      await look.vifConnected('client', 'netdd', 0, 30);
    },
  );

  await s.step(`in place ${d.where}: client memory 256 -> 200 (xl mem-set)`, async () => {
    const before = await look.domid('client');
    await applyExpect(d, 'seed', { 'xen_domain.client': 'update' }, MEM);
    if ((await look.domid('client')) !== before) fail('client was re-created instead of changed in place');
    const r = await look.exec(['xenstore-read', `/local/domain/${before}/memory/target`]);
    if (r.stdout.trim() !== String(200 * 1024)) fail('memory/target is not 200 MiB', r);
  });

  await s.step(`in place ${d.where}: PCI detach from the running driver domain`, async () => {
    await applyExpect(d, 'seed', { 'xen_driver_domain.net': 'update' }, [...MEM, '-var', 'drv_pci=false']);
    const pci = await look.exec(['xl', 'pci-list', 'netdd']);
    if (pci.stdout.includes(NIC)) fail('NIC still attached after detach', pci);
    if (!(await look.assignable()).includes(NIC)) fail('NIC not assignable after detach');
  });
  await s.step(`in place ${d.where}: PCI attach to the running driver domain, then no changes`, async () => {
    const drv = await look.domid('netdd');
    await applyExpect(d, 'seed', { 'xen_driver_domain.net': 'update' }, MEM);
    const pci = await look.exec(['xl', 'pci-list', 'netdd']);
    if (!pci.stdout.includes(NIC)) fail('NIC not attached again', pci);
    if ((await look.domid('netdd')) !== drv) fail('netdd was re-created instead of changed in place');
    await planExpect(d, 'seed', {}, MEM);
  });
}

/** Beside the seed: import of a hand-made domain, a label on this Xen without FLASK, the data sources on real Xen. */
export async function runExtra(s: Steps, d: Driver, look: Look): Promise<void> {
  await s.step(`import ${d.where}: a domain created by hand with xl -> terraform import -> empty plan`, async () => {
    expectCode(await d.hand(['xl', 'create', `${REMOTE}/dom0/handmade.cfg`], 180_000), [0], 'xl create handmade.cfg');
    expectCode(await d.tf('extra', ['import', 'xen_domain.handmade', 'handmade']), [0], 'terraform import');
    await planExpect(d, 'extra', {});
  });

  await s.step(`label without FLASK ${d.where}: the explained error under enforce, nothing created`, async () => {
    const r = await d.tf('extra', ['plan', '-parallelism=1', '-var', 'with_label=true']);
    expectCode(r, [1], 'plan with a label under enforce');
    const text = r.stdout + r.stderr;
    if (!/FLASK label would be ignored/.test(text) || !/Flask XSM Disabled/.test(text))
      fail('the error does not explain the missing XSM', r);
    if ((await look.domains()).includes('labelled')) fail('a domain was created by a failed plan');
  });
  await s.step(
    `label without FLASK ${d.where}: accepted under security_policy = "off" (plan ran xl create -n)`,
    async () => {
      const before = await d.recorded('"create","-n"');
      await applyExpect(d, 'extra', { 'xen_domain.labelled[0]': 'create' }, [
        '-var',
        'with_label=true',
        '-var',
        'policy=off',
      ]);
      if (!(await look.domains()).includes('labelled')) fail('labelled not running');
      if ((await d.recorded('"create","-n"')) <= before) fail('no xl create -n ran while planning the new domain');
    },
  );
  await s.step(`extra ${d.where}: destroy the imported and the labelled domain`, async () => {
    const r = await d.tf('extra', [
      'destroy',
      '-auto-approve',
      '-parallelism=1',
      '-var',
      'with_label=true',
      '-var',
      'policy=off',
    ]);
    expectCode(r, [0], 'destroy extra');
    const doms = await look.domains();
    if (doms.includes('handmade') || doms.includes('labelled')) fail(`still running: ${doms.join(', ')}`);
  });
}

export async function runSeedDestroy(s: Steps, d: Driver, look: Look): Promise<void> {
  await s.step(`destroy ${d.where}: only Domain-0 remains and the NIC is no longer assignable`, async () => {
    const r = await d.tf('seed', ['destroy', '-auto-approve', '-parallelism=1', ...MEM]);
    expectCode(r, [0], 'destroy seed');
    const doms = await look.domains();
    if (doms.join(',') !== 'Domain-0') fail(`domains left: ${doms.join(', ')}`);
    const a = await look.assignable();
    if (a.length !== 0) fail(`still assignable: ${a.join(', ')}`);
    const left = await look.exec(['ls', '-A', RENDERED]);
    if (left.stdout.trim() !== '' && /^\./m.test(left.stdout))
      fail('temporary or dry-run files left in the config dir', left);
  });
}

export { StepFailed, fail, expectCode, applyExpect };
