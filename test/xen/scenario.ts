// The seed scenario and its follow-ups, run by Terraform inside the lab's dom0 with connection = "xl:///usr/sbin/xl",
// checked with real xl / xenstore reads in dom0. The user's drift goes through dom0/hand.mjs so it is recorded for
// the fidelity check.

import type { CmdResult, Lab } from './lab';
import { parsePlan, planMismatch, type PlanAction } from './plan';
import { StepFailed, type Steps } from './steps';

export const REMOTE = '/opt/xen-test';
export const RECORD = `${REMOTE}/record.jsonl`;
const NIC = '0000:00:05.0';
const RENDERED = '/var/lib/terraform-provider-xen/configs';

function tail(r: CmdResult, n = 3000): string {
  return `exit ${r.code}\n--- stdout ---\n${r.stdout.slice(-n)}\n--- stderr ---\n${r.stderr.slice(-n)}`;
}

function fail(msg: string, r?: CmdResult): never {
  throw new Error(r ? `${msg}\n${tail(r)}` : msg);
}

export class Dom0 {
  private logNo = 0;

  constructor(readonly lab: Lab) {}

  /** terraform ARGS in /opt/xen-test/tf/DIR, recording every xl command the provider runs. */
  async tf(dir: string, args: string[], timeoutMs = 600_000): Promise<CmdResult> {
    this.logNo += 1;
    const log = `${REMOTE}/logs/${String(this.logNo).padStart(2, '0')}-${dir}-${args[0]}.log`;
    return this.lab.exec([
      'env', `TF_CLI_CONFIG_FILE=${REMOTE}/cli.tfrc`, 'CHECKPOINT_DISABLE=1', 'TF_IN_AUTOMATION=1', 'TF_INPUT=0',
      `XEN_PROVIDER_RECORD=${RECORD}`, 'TF_LOG_PROVIDER=DEBUG', `TF_LOG_PATH=${log}`,
      'terraform', `-chdir=${REMOTE}/tf/${dir}`, ...args, '-no-color',
    ], timeoutMs);
  }

  /** The user's own command, recorded (hand.mjs). */
  hand(argv: string[], timeoutMs = 180_000): Promise<CmdResult> {
    return this.lab.exec(['node', `${REMOTE}/dom0/hand.mjs`, RECORD, ...argv], timeoutMs);
  }

  /** A check by the harness itself: not recorded, not part of the fidelity comparison. */
  look(argv: string[]): Promise<CmdResult> {
    return this.lab.exec(argv);
  }

  async domid(name: string): Promise<number> {
    const r = await this.look(['xl', 'domid', name]);
    if (r.code !== 0) fail(`xl domid ${name} failed`, r);
    return Number(r.stdout.trim());
  }

  async domains(): Promise<string[]> {
    const r = await this.look(['xl', 'list']);
    if (r.code !== 0) fail('xl list failed', r);
    return r.stdout.split('\n').slice(1).map((l) => l.split(/\s+/)[0]).filter(Boolean);
  }

  async assignable(): Promise<string[]> {
    const r = await this.look(['xl', 'pci-assignable-list']);
    if (r.code !== 0) fail('xl pci-assignable-list failed', r);
    return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  }

  /** Polls in dom0 (one ssh round trip) until every xenstore PATH=VALUE holds, or fails after `limitS`. */
  async waitXenstore(want: Record<string, string>, limitS: number): Promise<number> {
    const conds = Object.entries(want).map(([p, v]) => `[ "$(xenstore-read ${p} 2>/dev/null)" = "${v}" ]`).join(' && ');
    const script = `t=0; while [ $t -lt ${limitS} ]; do if ${conds}; then echo $t; exit 0; fi; sleep 1; t=$((t+1)); done; ` +
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

async function planExpect(d: Dom0, dir: string, want: Record<string, PlanAction>, vars: string[] = []): Promise<void> {
  const r = await d.tf(dir, ['plan', '-detailed-exitcode', '-parallelism=1', ...vars]);
  const empty = Object.keys(want).length === 0;
  expectCode(r, [empty ? 0 : 2], `plan in ${dir}`);
  const m = planMismatch(parsePlan(r.stdout), want);
  if (m) fail(m, r);
}

/** apply -auto-approve prints the plan it carries out: that plan must be exactly `want`. */
async function applyExpect(d: Dom0, dir: string, want: Record<string, PlanAction>, vars: string[] = []): Promise<CmdResult> {
  const r = await d.tf(dir, ['apply', '-auto-approve', '-parallelism=1', ...vars]);
  expectCode(r, [0], `apply in ${dir}`);
  const m = planMismatch(parsePlan(r.stdout), want);
  if (m) fail(m, r);
  return r;
}

async function recorded(d: Dom0, pattern: string): Promise<number> {
  const r = await d.look(['grep', '-c', pattern, RECORD]);
  return Number(r.stdout.trim() || '0');
}

const SEED_ALL: Record<string, PlanAction> = {
  'xen_pci_assignable.nic': 'create', 'xen_driver_domain.net': 'create', 'xen_domain.client': 'create', 'xen_vif.client0': 'create',
};

export async function runScenario(s: Steps, d: Dom0): Promise<void> {
  await s.step('seed: apply (NIC assignable, driver domain with it, client, vif served by the driver domain)', async () => {
    await applyExpect(d, 'seed', SEED_ALL);
    const doms = await d.domains();
    for (const n of ['Domain-0', 'netdd', 'client']) if (!doms.includes(n)) fail(`${n} not running after apply: ${doms.join(', ')}`);
    const pci = await d.look(['xl', 'pci-list', 'netdd']);
    if (!pci.stdout.includes(NIC)) fail(`${NIC} not passed through to netdd`, pci);
    await d.vifConnected('client', 'netdd', 0, 30);
    if ((await recorded(d, '"create","-n"')) < 3) fail('the plan did not run xl create -n for the new domains');
  });
  await s.step('seed: plan -detailed-exitcode shows no changes', () => planExpect(d, 'seed', {}));

  await s.step('drift: xl network-detach by hand -> the plan re-creates exactly the vif -> connected again', async () => {
    expectCode(await d.hand(['xl', 'network-detach', 'client', '0']), [0], 'xl network-detach');
    await applyExpect(d, 'seed', { 'xen_vif.client0': 'create' });
    await d.vifConnected('client', 'netdd', 0, 30);
  });

  await s.step('drift: driver domain destroyed and re-created by hand without its frontends -> the plan replaces exactly the vif -> connected', async () => {
    const old = await d.domid('netdd');
    expectCode(await d.hand(['xl', 'destroy', 'netdd']), [0], 'xl destroy netdd');
    expectCode(await d.hand(['xl', 'create', `${RENDERED}/netdd.cfg`], 180_000), [0], 'xl create netdd.cfg');
    const now = await d.domid('netdd');
    if (now === old) fail(`netdd kept domid ${old} across destroy/create`);
    await applyExpect(d, 'seed', { 'xen_vif.client0': 'replace' });
    await d.vifConnected('client', 'netdd', 0, 30);
  });

  const mem = ['-var', 'client_memory=200'];
  await s.step('in place: client memory 256 -> 200 (xl mem-set)', async () => {
    const before = await d.domid('client');
    await applyExpect(d, 'seed', { 'xen_domain.client': 'update' }, mem);
    if ((await d.domid('client')) !== before) fail('client was re-created instead of changed in place');
    const r = await d.look(['xenstore-read', `/local/domain/${before}/memory/target`]);
    if (r.stdout.trim() !== String(200 * 1024)) fail('memory/target is not 200 MiB', r);
  });

  await s.step('in place: PCI detach from the running driver domain', async () => {
    await applyExpect(d, 'seed', { 'xen_driver_domain.net': 'update' }, [...mem, '-var', 'drv_pci=false']);
    const pci = await d.look(['xl', 'pci-list', 'netdd']);
    if (pci.stdout.includes(NIC)) fail('NIC still attached after detach', pci);
    if (!(await d.assignable()).includes(NIC)) fail('NIC not assignable after detach');
  });
  await s.step('in place: PCI attach to the running driver domain, then no changes', async () => {
    const drv = await d.domid('netdd');
    await applyExpect(d, 'seed', { 'xen_driver_domain.net': 'update' }, mem);
    const pci = await d.look(['xl', 'pci-list', 'netdd']);
    if (!pci.stdout.includes(NIC)) fail('NIC not attached again', pci);
    if ((await d.domid('netdd')) !== drv) fail('netdd was re-created instead of changed in place');
    await planExpect(d, 'seed', {}, mem);
  });

  await s.step('import: a domain created by hand with xl -> terraform import -> empty plan', async () => {
    expectCode(await d.hand(['xl', 'create', `${REMOTE}/dom0/handmade.cfg`], 180_000), [0], 'xl create handmade.cfg');
    expectCode(await d.tf('extra', ['import', 'xen_domain.handmade', 'handmade']), [0], 'terraform import');
    await planExpect(d, 'extra', {});
  });

  await s.step('label without FLASK: the explained error under enforce, nothing created', async () => {
    const r = await d.tf('extra', ['plan', '-parallelism=1', '-var', 'with_label=true']);
    expectCode(r, [1], 'plan with a label under enforce');
    const text = r.stdout + r.stderr;
    if (!/FLASK label would be ignored/.test(text) || !/Flask XSM Disabled/.test(text)) fail('the error does not explain the missing XSM', r);
    if ((await d.domains()).includes('labelled')) fail('a domain was created by a failed plan');
  });
  await s.step('label without FLASK: accepted under security_policy = "off" (plan ran xl create -n)', async () => {
    const before = await recorded(d, '"create","-n"');
    await applyExpect(d, 'extra', { 'xen_domain.labelled[0]': 'create' }, ['-var', 'with_label=true', '-var', 'policy=off']);
    if (!(await d.domains()).includes('labelled')) fail('labelled not running');
    if ((await recorded(d, '"create","-n"')) <= before) fail('no xl create -n ran while planning the new domain');
  });
  await s.step('extra: destroy the imported and the labelled domain', async () => {
    const r = await d.tf('extra', ['destroy', '-auto-approve', '-parallelism=1', '-var', 'with_label=true', '-var', 'policy=off']);
    expectCode(r, [0], 'destroy extra');
    const doms = await d.domains();
    if (doms.includes('handmade') || doms.includes('labelled')) fail(`still running: ${doms.join(', ')}`);
  });

  await s.step('destroy: only Domain-0 remains and the NIC is no longer assignable', async () => {
    const r = await d.tf('seed', ['destroy', '-auto-approve', '-parallelism=1', ...mem]);
    expectCode(r, [0], 'destroy seed');
    const doms = await d.domains();
    if (doms.join(',') !== 'Domain-0') fail(`domains left: ${doms.join(', ')}`);
    const a = await d.assignable();
    if (a.length !== 0) fail(`still assignable: ${a.join(', ')}`);
  });
}

export { StepFailed };
