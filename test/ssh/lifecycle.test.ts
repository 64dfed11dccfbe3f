// The seed scenario through the real provider binary, with the simulated host as a dom0 behind a real server() and the
// restricted dom0 command, driven the way Terraform drives it (test/support/lifecycle.ts checks Terraform's rules):
// everything the local mode does, remotely (xl, xenstore, sysfs, rendered configs and auto-start links on dom0,
// `xl create -n` at plan, the FLASK policy's hash read on dom0), on one ssh connection per provider process; and a
// connection lost in the middle of an apply, after which the same process connects again and the host tells the truth.

import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CtyObject } from '../../provider/protocol/cty/types';
import { DEMO_INVENTORY } from '../../provider/xen/sim/inventory';
import { DiagnosticsError, TerraformSession } from '../support/lifecycle';
import { domainNames, providerConfig, sshSimHost, type SimHost } from '../support/sim';
import { sshdForSuite, userDir } from '../support/sshd';

jest.setTimeout(120_000);

const KERNEL = '/var/lib/xen/images/vmlinuz';
const RAMDISK = '/var/lib/xen/images/initrd.img';

const server = sshdForSuite();

const sessions: TerraformSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

async function open(host: SimHost, extra: Record<string, unknown> = {}): Promise<TerraformSession> {
  const tf = await TerraformSession.start({ env: { TF_LOG_PROVIDER: 'debug' } });
  sessions.push(tf);
  await tf.configure(providerConfig(host, { hotplug_timeout: '10s', shutdown_timeout: '1s', ...extra }));
  return tf;
}

/** How often this provider process connected to dom0, from its own log. */
function connections(tf: TerraformSession): number {
  return tf.provider.stderrLines.filter((l) => l.includes('"connected to dom0 over ssh"')).length;
}

async function eventually<T>(ask: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const until = Date.now() + 15_000;
  for (;;) {
    const v = await ask();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('seed over ssh: NIC, driver domain (auto-started), client and its vif, FLASK policy; no-op; drift repaired; import; destroy', async () => {
  const host = sshSimHost(server());
  const logins = server().logins();
  const tf = await open(host);

  const nicCfg = tf.config('xen_pci_assignable', { bdf: '03:00.0' });
  const { state: nic } = await tf.applyConfig('xen_pci_assignable', null, nicCfg);
  expect(nic).toMatchObject({ id: '0000:03:00.0', original_driver: 'igb', vendor: '0x8086' });

  const ddCfg = tf.config('xen_driver_domain', {
    name: 'netdd',
    class: 'network',
    memory: 256,
    kernel: KERNEL,
    ramdisk: RAMDISK,
    cmdline: 'console=hvc0 iommu=soft',
    autostart: true,
    pci: [{ bdf: '03:00.0' }],
  });
  const ddPlan = await tf.plan('xen_driver_domain', null, ddCfg);
  // The plan's dry run ran `xl create -n` on dom0 and removed its file there.
  expect(tf.provider.stderrLines.join('\n')).not.toMatch(/could not remove a dry-run config/);
  expect(ddPlan.planned).not.toBeNull();
  const { state: dd } = await tf.applyConfig('xen_driver_domain', null, ddCfg);
  expect(dd).toMatchObject({ autostart: true, state: expect.any(String) });
  const rendered = path.join(host.state, 'configs', 'netdd.cfg');
  expect(readFileSync(rendered, 'utf8')).toMatch(/^driver_domain = 1$/m);
  expect(readlinkSync(path.join(host.state, 'auto', 'netdd.cfg'))).toBe(rendered);

  const clientCfg = tf.config('xen_domain', { name: 'client', memory: 256, firmware: 'pvgrub64' });
  const { state: client } = await tf.applyConfig('xen_domain', null, clientCfg);
  const vifCfg = tf.config('xen_vif', {
    domain: 'client',
    backend: 'netdd',
    mac: '00:16:3e:00:00:01',
    bridge: 'xenbr0',
    ip: '10.0.0.2 10.0.0.3',
  });
  const { state: vif } = await tf.applyConfig('xen_vif', null, vifCfg);
  expect(vif).toMatchObject({ state: 4, hotplug_status: 'connected' });

  userDir(server(), path.join(host.dir, 'policies'));
  // The compiled example policy, read at plan through the restricted command (base64 of a --policy-dir file).
  const policy = path.join(host.dir, 'policies', 'xenpolicy-4.17');
  writeFileSync(policy, readFileSync(path.join(__dirname, '..', 'fixtures', 'flask', 'xenpolicy-4.17')), {
    mode: 0o644,
  });
  const flaskCfg = tf.config('xen_flask_policy', { policy_file: policy });
  const { state: flask } = await tf.applyConfig('xen_flask_policy', null, flaskCfg);
  expect(flask.sha256).toBe(require('node:crypto').createHash('sha256').update(readFileSync(policy)).digest('hex'));
  expect(flask.domain_types).toEqual(expect.arrayContaining(['dom0_t', 'domU_t']));

  for (const [type, state, config] of [
    ['xen_pci_assignable', nic, nicCfg],
    ['xen_driver_domain', dd, ddCfg],
    ['xen_domain', client, clientCfg],
    ['xen_vif', vif, vifCfg],
    ['xen_flask_policy', flask, flaskCfg],
  ] as Array<[string, CtyObject, CtyObject]>) {
    expect({ type, noop: (await tf.isNoop(type, state, config)).noop }).toEqual({ type, noop: true });
  }
  const devices = (await tf.readData('xen_pci_devices', {})).devices as CtyObject[];
  expect(devices.find((d) => d.bdf === '0000:03:00.0')).toMatchObject({ assigned_to: 'netdd', driver: 'pciback' });
  expect(devices.find((d) => d.bdf === '0000:00:1f.2')).toMatchObject({ reset_method: null, driver: 'ahci' });

  // Drift by hand on dom0: the vif detached; the next read sees it gone and apply puts it back.
  host.xl('network-detach', 'client', '0');
  expect(
    await eventually(
      () => tf.read('xen_vif', vif),
      (v) => v === null,
    ),
  ).toBeNull();
  const { state: vif2 } = await tf.applyConfig('xen_vif', null, vifCfg);
  // The auto-start link removed by hand is drift too.
  host.xl('list');
  const tf2 = await open(host);
  require('node:fs').rmSync(path.join(host.state, 'auto', 'netdd.cfg'));
  const drift = await tf2.isNoop('xen_driver_domain', dd, ddCfg);
  expect(drift.noop).toBe(false);
  expect(drift.refreshed?.autostart).toBe(false);
  await tf2.applyConfig('xen_driver_domain', drift.refreshed, ddCfg);
  expect(readlinkSync(path.join(host.state, 'auto', 'netdd.cfg'))).toBe(rendered);

  const imported = await tf2.importState('xen_domain', 'client');
  expect((await tf2.isNoop('xen_domain', imported, clientCfg)).noop).toBe(true);

  await tf2.destroy('xen_vif', vif2);
  await tf2.destroy('xen_domain', client);
  await tf2.destroy('xen_driver_domain', dd);
  await tf2.destroy('xen_pci_assignable', nic);
  expect(host.xl('list').trim().split('\n')).toHaveLength(2);
  expect(host.xl('pci-assignable-list')).toBe('');

  // One connection per provider process, however many commands it ran.
  expect([connections(tf), connections(tf2)]).toEqual([1, 1]);
  expect(server().logins() - logins).toBe(2);
});

test('vTPM over ssh: manager, vTPM and guest created through the restricted dom0 command, read back unchanged, imported, destroyed', async () => {
  // A FLASK policy with the vTPM domains' types, as a real vTPM host needs.
  const types = [...DEMO_INVENTORY.flask.policy_types, 'vtpmmgr_t', 'vtpm_t'];
  const host = sshSimHost(server(), { changes: { flask: { mode: 'enforcing', policy_types: types } } });
  const tf = await open(host);
  const label = (t: string) => `system_u:system_r:${t}`;
  const mgrCfg = tf.config('xen_vtpm_manager', {
    name: 'vtpmmgr',
    storage: '/var/lib/xen/vtpm/mgr.img',
    tpm_version: '2.0',
    seclabel: label('vtpmmgr_t'),
  });
  const vtCfg = tf.config('xen_vtpm', {
    name: 'web-vtpm',
    manager: 'vtpmmgr',
    storage: '/var/lib/xen/vtpm/web.img',
    seclabel: label('vtpm_t'),
    uuid: 'a1b2c3d4-0000-4000-8000-00000000000f',
  });
  const webCfg = tf.config('xen_domain', {
    name: 'web',
    firmware: 'pvgrub64',
    seclabel: label('domU_t'),
    vtpm: { backend: 'web-vtpm' },
  });

  const { state: mgr } = await tf.applyConfig('xen_vtpm_manager', null, mgrCfg);
  // xen_vtpm waits on `xl vtpm-list` over ssh until the link to the manager is connected.
  const { state: vt } = await tf.applyConfig('xen_vtpm', null, vtCfg);
  expect(vt).toMatchObject({ manager: 'vtpmmgr', manager_domid: mgr.domid, connected: true });
  const { state: web } = await tf.applyConfig('xen_domain', null, webCfg);
  expect(web.vtpm).toEqual({ backend: 'web-vtpm', backend_domid: vt.domid });
  // Rendered and checked on dom0 (the restricted command's content check of vtpm and iomem lines).
  const configs = path.join(host.state, 'configs');
  expect(readFileSync(path.join(configs, 'vtpmmgr.cfg'), 'utf8')).toMatch(/^iomem = \[ "fed42,1" \]$/m);
  expect(readFileSync(path.join(configs, 'web-vtpm.cfg'), 'utf8')).toContain(
    'vtpm = [ "backend=vtpmmgr,uuid=a1b2c3d4-0000-4000-8000-00000000000f" ]',
  );
  expect(host.xl('vtpm-list', 'web')).toMatch(new RegExp(`^0\\s+${vt.domid}\\s`, 'm'));

  for (const [type, state, config] of [
    ['xen_vtpm_manager', mgr, mgrCfg],
    ['xen_vtpm', vt, vtCfg],
    ['xen_domain', web, webCfg],
  ] as Array<[string, CtyObject, CtyObject]>) {
    expect({ type, noop: (await tf.isNoop(type, state, config)).noop }).toEqual({ type, noop: true });
  }
  const imported = await tf.importState('xen_vtpm', 'web-vtpm');
  expect((await tf.isNoop('xen_vtpm', imported, vtCfg)).noop).toBe(true);

  await tf.destroy('xen_domain', web);
  await tf.destroy('xen_vtpm', vt);
  await tf.destroy('xen_vtpm_manager', mgr);
  expect(domainNames(host)).toEqual(['Domain-0']);
  expect(connections(tf)).toBe(1);
});

test('the connection lost while xl runs: the change is reported as lost, the process connects again, and reads show the host as it is', async () => {
  const host = sshSimHost(server());
  const tf = await open(host, { shutdown_timeout: '30s' });
  const cfg = tf.config('xen_domain', { name: 'victim', memory: 128, kernel: KERNEL });
  const { state } = await tf.applyConfig('xen_domain', null, cfg);
  const keep = tf.config('xen_domain', { name: 'keeper', memory: 128, kernel: KERNEL });
  const { state: kept } = await tf.applyConfig('xen_domain', null, keep);

  // dom0's xl hangs in the shutdown; the connection drops meanwhile.
  host.xl('sim-fault', 'hang', 'shutdown', '10');
  const destroying = tf.destroy('xen_domain', state).catch((e: unknown) => e);
  await new Promise((r) => setTimeout(r, 1500));
  for (const pid of server().connectionPids()) process.kill(pid, 'SIGKILL');
  const err = await destroying;
  expect(err).toBeInstanceOf(DiagnosticsError);
  expect((err as Error).message).toMatch(
    /the ssh connection to \S+ was lost while `\/usr\/sbin\/xl (shutdown -w|destroy) victim` ran on dom0/,
  );
  expect((err as Error).message).toMatch(/Nothing Terraform recorded is lost: run `terraform plan` again/);
  host.xl('sim-fault', 'clear');

  // The same provider process connects again; what was applied is intact, and the interrupted domain reads as it is
  // on the host (still there, or gone if the shutdown went on without us).
  expect((await tf.isNoop('xen_domain', kept, keep)).noop).toBe(true);
  expect(connections(tf)).toBe(2);
  const running = /^victim /m.test(host.xl('list'));
  const now = await tf.read('xen_domain', state);
  expect(now === null).toBe(!running);
});

test('over ssh, a domain that ignores the shutdown request is destroyed after shutdown_timeout, though the remote xl still waits', async () => {
  // The multiplexed ssh client passes its pipes to the master, which keeps them open while dom0's `xl shutdown -w`
  // goes on: the provider must not wait for them once it has given up on the command.
  const host = sshSimHost(server());
  const tf = await open(host);
  const { state } = await tf.applyConfig(
    'xen_domain',
    null,
    tf.config('xen_domain', { name: 'stubborn', memory: 128, kernel: KERNEL }),
  );
  host.xl('sim-fault', 'hang', 'shutdown', '600');
  await tf.destroy('xen_domain', state);
  expect(host.xl('list')).not.toMatch(/stubborn/);
  expect(tf.provider.stderrLines.join('\n')).toMatch(/"outcome":"destroyed"/);
  host.xl('sim-fault', 'clear');
}, 60_000);

test('over ssh, a provider killed while dom0 still runs its xl create: the next apply adopts that domain from the journal on dom0', async () => {
  // The journal lives under config_dir on dom0 and is written through the restricted command (CONFIG_DIR/journal).
  const host = sshSimHost(server());
  const tf = await open(host);
  const guestCfg = tf.config('xen_domain', { name: 'g1', memory: 128, kernel: KERNEL });
  const plan = await tf.plan('xen_domain', null, guestCfg);
  host.xl('sim-fault', 'hang', 'create', '3');
  const applying = tf.apply('xen_domain', null, plan.planned, guestCfg).catch((e: unknown) => e);
  await new Promise((r) => setTimeout(r, 1500));
  tf.provider.kill('SIGKILL');
  expect(await applying).toBeTruthy();
  host.xl('sim-fault', 'clear');

  const next = await open(host);
  const { state } = await next.applyConfig(
    'xen_domain',
    null,
    next.config('xen_domain', { name: 'g1', memory: 128, kernel: KERNEL }),
  );
  const log = next.provider.stderrLines.join('\n');
  expect(log).not.toMatch(/"creating domain"/);
  expect(log).toMatch(/interrupted/);
  expect(state.state).toBe('running');
  expect(
    host
      .xl('list')
      .trim()
      .split('\n')
      .filter((l) => /^g1 /.test(l)),
  ).toHaveLength(1);
  expect(log).not.toMatch(/refused/);
  expect(
    (await next.isNoop('xen_domain', state, next.config('xen_domain', { name: 'g1', memory: 128, kernel: KERNEL })))
      .noop,
  ).toBe(true);
});
