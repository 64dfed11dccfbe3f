// Every resource and data source through the real provider binary and the simulated host, driven the way Terraform
// drives them (test/support/lifecycle.ts enforces Terraform's consistency checks): create, read, no-op plan, update
// in place, replace, import, drift by hand and repair, destroy.

import { readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CtyObject } from '../../provider/protocol/cty/types';
import { Unknown } from '../../provider/protocol/cty/types';
import { DiagnosticsError, TerraformSession } from '../support/lifecycle';
import { providerConfig, simHost } from '../support/sim';
import type { SimHost } from '../support/sim';
import { eventually } from '../support/eventually';

const EXAMPLE_POLICY_FIXTURE = path.join(__dirname, '..', 'fixtures', 'flask', 'xenpolicy-4.17');

// The vif test alone takes ~30 s on a loaded 2-core machine; in the whole suite it shares the cores with the other
// workers and the slower Terraform tests.
jest.setTimeout(120_000);

const KERNEL = '/var/lib/xen/images/vmlinuz';
const RAMDISK = '/var/lib/xen/images/initrd.img';

async function session(host: SimHost, extra: Record<string, unknown> = {}): Promise<TerraformSession> {
  const tf = await TerraformSession.start({ env: { TF_LOG_PROVIDER: 'trace' } });
  await tf.configure(providerConfig(host, extra));
  return tf;
}

const sessions: TerraformSession[] = [];
async function open(host: SimHost, extra: Record<string, unknown> = {}): Promise<TerraformSession> {
  const tf = await session(host, extra);
  sessions.push(tf);
  return tf;
}
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

function driverDomain(tf: TerraformSession, extra: Record<string, unknown> = {}): CtyObject {
  return tf.config('xen_driver_domain', {
    name: 'netdd',
    class: 'network',
    memory: 256,
    maxmem: 512,
    kernel: KERNEL,
    ramdisk: RAMDISK,
    cmdline: 'console=hvc0 iommu=soft',
    seclabel: 'system_u:system_r:domU_t',
    pci: [{ bdf: '03:00.0' }],
    ...extra,
  });
}

describe('xen_pci_assignable', () => {
  test('create, no-op, import, drift repair, destroy gives the device back', async () => {
    const host = simHost();
    const tf = await open(host);
    const config = tf.config('xen_pci_assignable', { bdf: '03:00.0' });
    const { state } = await tf.applyConfig('xen_pci_assignable', null, config);
    expect(state).toMatchObject({
      id: '0000:03:00.0',
      bdf: '03:00.0',
      original_driver: 'igb',
      class: expect.stringMatching(/0200/),
    });
    expect(host.xl('pci-assignable-list')).toContain('0000:03:00.0');
    expect((await tf.isNoop('xen_pci_assignable', state, config)).noop).toBe(true);

    const imported = await tf.importState('xen_pci_assignable', '0000:03:00.0');
    expect(imported.id).toBe('0000:03:00.0');

    host.xl('pci-assignable-remove', '-r', '0000:03:00.0'); // drift by hand
    expect(
      await eventually(
        () => tf.read('xen_pci_assignable', state),
        (v) => v === null,
      ),
    ).toBeNull();
    const { state: again } = await tf.applyConfig('xen_pci_assignable', null, config);

    await tf.destroy('xen_pci_assignable', again);
    expect(host.xl('pci-assignable-list')).not.toContain('0000:03:00.0');
    const devices = await tf.readData('xen_pci_devices', {});
    const nic = (devices.devices as CtyObject[]).find((d) => d.bdf === '0000:03:00.0')!;
    expect(nic).toMatchObject({ driver: 'igb', assignable: false, assigned_to: null });
  });

  test('a device without a reset method is refused before anything changes, unless strict_reset = false', async () => {
    const host = simHost();
    const tf = await open(host);
    const refused = await tf
      .plan('xen_pci_assignable', null, tf.config('xen_pci_assignable', { bdf: '00:1f.2' }))
      .catch((e) => e);
    expect(refused).toBeInstanceOf(DiagnosticsError);
    expect(refused.diags[0]).toMatchObject({ path: 'bdf', summary: expect.stringMatching(/no reset method/) });
    expect(host.xl('pci-assignable-list')).not.toContain('0000:00:1f.2');
    const { state } = await tf.applyConfig(
      'xen_pci_assignable',
      null,
      tf.config('xen_pci_assignable', { bdf: '00:1f.2', strict_reset: false }),
    );
    expect(state.id).toBe('0000:00:1f.2');
  });

  test('seclabel: the device is labelled with flask-label-pci before it is made assignable; a domain role is refused at validate', async () => {
    const host = simHost();
    const tf = await open(host);
    const config = tf.config('xen_pci_assignable', { bdf: '03:00.0', seclabel: 'system_u:object_r:nic_dev_t' });
    const { state } = await tf.applyConfig('xen_pci_assignable', null, config);
    expect(state.seclabel).toBe('system_u:object_r:nic_dev_t');
    const record = host.xl('sim-state');
    const sim = JSON.parse(record);
    expect(sim.pci['0000:03:00.0']).toMatchObject({ driver: 'pciback', label: 'system_u:object_r:nic_dev_t' });
    expect((await tf.isNoop('xen_pci_assignable', state, config)).noop).toBe(true);
    const other = await tf.plan(
      'xen_pci_assignable',
      state,
      tf.config('xen_pci_assignable', { bdf: '03:00.0', seclabel: 'system_u:object_r:device_t' }),
    );
    expect(other.requiresReplace).toContain('seclabel');

    const asDomain = await tf
      .validate(
        'xen_pci_assignable',
        tf.config('xen_pci_assignable', { bdf: '00:19.0', seclabel: 'system_u:system_r:domU_t' }),
      )
      .catch((e) => e);
    expect(asDomain).toBeInstanceOf(DiagnosticsError);
    expect(asDomain.diags[0]).toMatchObject({
      path: 'seclabel',
      detail: expect.stringMatching(
        /role system_r: a device is an object, so its label has role object_r \(e\.g\. system_u:object_r:nic_dev_t\)/,
      ),
    });
  });

  test("seclabel the policy does not know: flask-label-pci's refusal is explained and the device is left with dom0", async () => {
    const host = simHost();
    const tf = await open(host);
    const err = await tf
      .applyConfig(
        'xen_pci_assignable',
        null,
        tf.config('xen_pci_assignable', { bdf: '03:00.0', seclabel: 'system_u:object_r:no_such_t' }),
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(DiagnosticsError);
    expect(err.diags[0]).toMatchObject({
      path: 'seclabel',
      summary: expect.stringMatching(
        /flask-label-pci could not label PCI device 0000:03:00\.0 system_u:object_r:no_such_t: xc_flask_add_device: Unable to set context/,
      ),
      detail: expect.stringMatching(/user:object_r:TYPE with a device type.*The device was not changed\./s),
    });
    expect(host.xl('pci-assignable-list')).not.toContain('0000:03:00.0');
  });

  test('a quarantine the enforcing FLASK policy refuses names the device and both ways out; the next apply adds it again', async () => {
    const host = simHost({ flask_allows_quarantine: false });
    const tf = await open(host);
    const config = tf.config('xen_pci_assignable', { bdf: '03:00.0', seclabel: 'system_u:object_r:nic_dev_t' });
    const err = await tf.applyConfig('xen_pci_assignable', null, config).catch((e) => e);
    expect(err).toBeInstanceOf(DiagnosticsError);
    expect(err.diags[0]).toMatchObject({
      path: 'bdf',
      summary: expect.stringMatching(
        /^Xen refused to quarantine PCI device 0000:03:00\.0: the FLASK policy does not allow dom0 to hand devices to dom_io \(xl dmesg: avc: +denied +\{ add \} for source=d0 target=d\[IO\].*tcontext=system_u:system_r:domio_t tclass=resource\)/,
      ),
      detail: expect.stringMatching(
        /allow dom0_t domio_t:resource \{ add remove \};.*allow domio_t nic_dev_t:resource use_iommu;.*`iommu=no-quarantine` does not avoid it.*pciback still holds the device.*Apply again/s,
      ),
    });
    // As on real Xen: libxl cannot give it back either (de-quarantine is denied too), so pciback keeps it.
    expect(host.xl('pci-assignable-list')).toContain('0000:03:00.0');

    // Permissive (or a policy that allows it): the same configuration applies, and the quarantine is tried again.
    host.xl('setenforce', '0');
    const tf2 = await open(host);
    expect((await tf2.plan('xen_pci_assignable', null, config)).requiresReplace).toEqual([]);
    const { state } = await tf2.applyConfig('xen_pci_assignable', null, config);
    expect(state).toMatchObject({
      id: '0000:03:00.0',
      original_driver: 'igb',
      seclabel: 'system_u:object_r:nic_dev_t',
    });
    expect(host.xl('dmesg')).toMatch(/avc: +denied +\{ add \}[^\n]*\n(?:.*\n)*.*avc: +denied +\{ add \}/);
    await tf2.destroy('xen_pci_assignable', state);
    expect(host.xl('pci-assignable-list')).not.toContain('0000:03:00.0');
  });

  test('an address that is not a PCI address is a diagnostic on bdf saying what is valid', async () => {
    const tf = await open(simHost());
    const err = await tf
      .validate('xen_pci_assignable', tf.config('xen_pci_assignable', { bdf: '03:00.0\npci=["x"]' }))
      .catch((e) => e);
    expect(err.diags[0].path).toBe('bdf');
    expect(err.diags[0].detail).toMatch(/BB:SS.F or DDDD:BB:SS.F/);
  });
});

describe('xen_driver_domain and xen_domain', () => {
  test('driver domain: created with driver_domain=1 and its NIC, in-place memory/PCI changes, replace, import, destroy', async () => {
    const host = simHost();
    const tf = await open(host);
    await tf.applyConfig('xen_pci_assignable', null, tf.config('xen_pci_assignable', { bdf: '03:00.0' }));
    await tf.applyConfig('xen_pci_assignable', null, tf.config('xen_pci_assignable', { bdf: '00:19.0' }));

    const config = driverDomain(tf);
    const { state } = await tf.applyConfig('xen_driver_domain', null, config);
    expect(state).toMatchObject({ id: 'netdd', name: 'netdd', memory: 256, maxmem: 512, state: 'running' });
    expect(typeof state.domid).toBe('number');
    const listed = JSON.parse(host.xl('list', '-l', 'netdd'))[0].config;
    expect(listed.c_info.driver_domain).toBe('True');
    expect(host.xl('pci-list', 'netdd')).toContain('0000:03:00.0');
    expect((await tf.isNoop('xen_driver_domain', state, config)).noop).toBe(true);

    // Memory within maxmem and a second NIC: in place, same domid.
    const grown = driverDomain(tf, {
      memory: 384,
      pci: [{ bdf: '03:00.0' }, { bdf: '0000:00:19.0', permissive: true }],
    });
    const plan = await tf.plan('xen_driver_domain', state, grown);
    expect(plan.requiresReplace).toEqual([]);
    const { state: s2 } = await tf.applyConfig('xen_driver_domain', state, grown);
    expect(s2.domid).toBe(state.domid);
    expect(host.xl('list')).toMatch(/netdd\s+\d+\s+384/);
    expect(host.xl('pci-list', 'netdd')).toContain('0000:00:19.0');
    expect((await tf.isNoop('xen_driver_domain', s2, grown)).noop).toBe(true);

    // Above maxmem is refused at plan time with the reason; raising maxmem replaces the domain.
    const tooBig = await tf
      .plan('xen_driver_domain', s2, driverDomain(tf, { memory: 1024, pci: [{ bdf: '03:00.0' }] }))
      .catch((e) => e);
    expect(tooBig.diags[0]).toMatchObject({ path: 'memory', summary: 'memory exceeds maxmem' });
    const replace = await tf.plan(
      'xen_driver_domain',
      s2,
      driverDomain(tf, { memory: 384, maxmem: 1024, pci: [{ bdf: '03:00.0' }] }),
    );
    expect(replace.requiresReplace).toContain('maxmem');

    // Import of what exists gives the same state, and no change.
    const imported = await tf.importState('xen_driver_domain', 'netdd');
    expect(imported.class).toBe('network');
    expect((await tf.isNoop('xen_driver_domain', imported, grown)).noop).toBe(true);

    // The hypervisor's label (xl list -Z) is the one compared: relabelled, the domain drifts and is replaced.
    expect(host.xl('list', '-Z')).toMatch(/netdd\s.*system_u:system_r:domU_t/);
    host.xl('sim-relabel', 'netdd', 'system_u:system_r:isolated_domU_t');
    const relabelled = await eventually(
      () => tf.read('xen_driver_domain', s2),
      (v) => v?.seclabel !== 'system_u:system_r:domU_t',
    );
    expect(relabelled!.seclabel).toBe('system_u:system_r:isolated_domU_t');
    expect((await tf.plan('xen_driver_domain', relabelled, grown)).requiresReplace).toContain('seclabel');

    // Destroyed behind Terraform's back: read says gone, so the next plan creates it.
    host.xl('destroy', 'netdd');
    expect(
      await eventually(
        () => tf.read('xen_driver_domain', s2),
        (v) => v === null,
      ),
    ).toBeNull();
  });

  test('autostart links the rendered config into the auto directory; removing the link by hand is drift', async () => {
    const host = simHost();
    const tf = await open(host);
    await tf.applyConfig('xen_pci_assignable', null, tf.config('xen_pci_assignable', { bdf: '03:00.0' }));
    const config = driverDomain(tf, { autostart: true });
    const { state } = await tf.applyConfig('xen_driver_domain', null, config);
    const link = path.join(host.dir, 'state', 'auto', 'netdd.cfg');
    expect(readlinkSync(link)).toBe(path.join(host.dir, 'state', 'configs', 'netdd.cfg'));
    expect(readFileSync(link, 'utf8')).toMatch(/driver_domain\s*=\s*1/);
    rmSync(link);
    const drift = await tf.isNoop('xen_driver_domain', state, config);
    expect(drift.noop).toBe(false);
    expect(drift.requiresReplace).toEqual([]);
    await tf.applyConfig('xen_driver_domain', drift.refreshed, config);
    expect(readlinkSync(link)).toMatch(/netdd\.cfg$/);
    await tf.destroy('xen_driver_domain', state);
    expect(() => readlinkSync(link)).toThrow();
  });

  test('PV guest with pvgrub and a label; HVM guest with its device model in a labelled stub domain', async () => {
    const host = simHost();
    const tf = await open(host);
    const pv = tf.config('xen_domain', {
      name: 'web',
      memory: 512,
      firmware: 'pvgrub64',
      seclabel: 'system_u:system_r:domU_t',
    });
    const { state } = await tf.applyConfig('xen_domain', null, pv);
    expect(state).toMatchObject({ firmware: 'pvgrub64', seclabel: 'system_u:system_r:domU_t', stubdomain_domid: null });
    expect(host.xl('list', '-Z')).toMatch(/web.*domU_t/);
    expect((await tf.isNoop('xen_domain', state, pv)).noop).toBe(true);

    // vcpus up to maxvcpus in place.
    const more = tf.config('xen_domain', {
      name: 'web',
      memory: 512,
      firmware: 'pvgrub64',
      seclabel: 'system_u:system_r:domU_t',
      vcpus: 2,
      maxvcpus: 2,
    });
    const p = await tf.plan('xen_domain', state, more);
    expect(p.requiresReplace).toEqual(['maxvcpus']);

    const hvm = tf.config('xen_domain', {
      name: 'win',
      type: 'hvm',
      memory: 1024,
      seclabel: 'system_u:system_r:domU_t',
      device_model: { stubdomain: true, seclabel: 'system_u:system_r:dm_dom_t' },
    });
    const { state: h } = await tf.applyConfig('xen_domain', null, hvm);
    expect(typeof h.stubdomain_domid).toBe('number');
    expect(host.xl('list')).toMatch(/win-dm/);
    expect((await tf.isNoop('xen_domain', h, hvm)).noop).toBe(true);
    const imported = await tf.importState('xen_domain', 'win');
    expect((await tf.isNoop('xen_domain', imported, hvm)).noop).toBe(true);
    await tf.destroy('xen_domain', h);
    expect(host.xl('list')).not.toMatch(/win/);
  });

  test('a domain that ignores the shutdown request is destroyed after shutdown_timeout', async () => {
    const host = simHost();
    const tf = await open(host, { shutdown_timeout: '1s' });
    const { state } = await tf.applyConfig(
      'xen_domain',
      null,
      tf.config('xen_domain', { name: 'stubborn', firmware: 'pvgrub64' }),
    );
    host.xl('sim-fault', 'hang', 'shutdown', '30');
    const started = Date.now();
    await tf.destroy('xen_domain', state);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(host.xl('list')).not.toMatch(/stubborn/);
    expect(tf.provider.stderrLines.join('\n')).toMatch(/"outcome":"destroyed"/);
  });

  test('a configuration to be created is checked by libxl at plan time (xl create -n); a missing kernel is refused at plan', async () => {
    const host = simHost();
    const tf = await open(host);
    await tf.plan('xen_domain', null, tf.config('xen_domain', { name: 'good', kernel: KERNEL }));
    const argvs = tf.provider.stderrLines.filter((l) => l.includes('"create"') && l.includes('"-n"'));
    expect(argvs.length).toBeGreaterThan(0);
    const err = await tf
      .plan('xen_domain', null, tf.config('xen_domain', { name: 'bad', kernel: '/boot/nope' }))
      .catch((e) => e);
    expect(err).toBeInstanceOf(DiagnosticsError);
    expect(err.diags[0]).toMatchObject({ path: 'kernel', summary: 'The kernel file does not exist on the host' });
    expect(err.diags[0].detail).toMatch(/\/boot\/nope does not exist/);
    expect(host.xl('list')).not.toMatch(/bad/);
  });

  test('labels on a Xen without FLASK: an explained error under enforce, accepted under off', async () => {
    const host = simHost({ flask: { mode: 'disabled', policy_types: [] } });
    const enforce = await open(host);
    const cfg = enforce.config('xen_domain', {
      name: 'lab',
      firmware: 'pvgrub64',
      seclabel: 'system_u:system_r:domU_t',
    });
    const err = await enforce.plan('xen_domain', null, cfg).catch((e) => e);
    expect(err.diags[0]).toMatchObject({ path: 'seclabel', summary: 'FLASK label would be ignored: lab' });
    expect(err.diags[0].detail).toMatch(/Flask XSM Disabled/);
    expect(host.xl('list')).not.toMatch(/lab/);

    const off = await open(host, { security_policy: 'off' });
    const { state } = await off.applyConfig(
      'xen_domain',
      null,
      off.config('xen_domain', { name: 'lab', firmware: 'pvgrub64', seclabel: 'system_u:system_r:domU_t' }),
    );
    expect(state.seclabel).toBe('system_u:system_r:domU_t');
  });

  test('names and labels that could inject into xl.cfg are rejected with the attribute path', async () => {
    const tf = await open(simHost());
    for (const [attr, value] of [
      ['name', 'x"\nmemory=99999'],
      ['cmdline', 'quiet"\nbootloader="/bin/sh'],
      ['seclabel', 'a:b:c,d'],
      ['kernel', 'relative/path'],
    ] as const) {
      const err = await tf
        .validate('xen_domain', tf.config('xen_domain', { name: 'ok', [attr]: value }))
        .catch((e) => e);
      expect(err).toBeInstanceOf(DiagnosticsError);
      expect(err.diags.map((d: any) => d.path)).toContain(attr);
    }
  });
});

describe('xen_vif and xen_disk', () => {
  async function base(tf: TerraformSession) {
    await tf.applyConfig('xen_pci_assignable', null, tf.config('xen_pci_assignable', { bdf: '03:00.0' }));
    await tf.applyConfig('xen_driver_domain', null, driverDomain(tf));
    const { state: guest } = await tf.applyConfig(
      'xen_domain',
      null,
      tf.config('xen_domain', { name: 'web', firmware: 'pvgrub64', seclabel: 'system_u:system_r:domU_t' }),
    );
    return guest;
  }

  test('vif: connected through the driver domain, no-op, import, detached by hand and re-attached, driver domain restart', async () => {
    const host = simHost();
    const tf = await open(host);
    await base(tf);
    const config = tf.config('xen_vif', { domain: 'web', backend: 'netdd', bridge: 'xenbr0', rate: '10Mb/s' });
    const { state } = await tf.applyConfig('xen_vif', null, config);
    expect(state).toMatchObject({
      id: 'web/0',
      devid: 0,
      state: 4,
      hotplug_status: 'connected',
      rate: '10Mb/s',
      mac: expect.stringMatching(/^00:16:3e:/),
    });
    expect((await tf.isNoop('xen_vif', state, config)).noop).toBe(true);
    const imported = await tf.importState('xen_vif', 'web/0');
    expect((await tf.isNoop('xen_vif', imported, config)).noop).toBe(true);

    host.xl('network-detach', 'web', '0');
    expect(
      await eventually(
        () => tf.read('xen_vif', state),
        (v) => v === null,
      ),
    ).toBeNull();
    const { state: again } = await tf.applyConfig('xen_vif', null, config);
    expect(again.hotplug_status).toBe('connected');

    host.xl('sim-crash', 'netdd');
    const after = await eventually(
      () => tf.isNoop('xen_vif', again, config),
      (r) => !r.noop,
    );
    expect(after.noop).toBe(false);
    expect(after.requiresReplace).toEqual(['backend_domid']);
    const { state: repaired } = await tf.applyConfig('xen_vif', after.refreshed, config);
    expect(repaired.hotplug_status).toBe('connected');
    expect(repaired.backend_domid).not.toBe(again.backend_domid);
    const rows = host.xl('network-list', 'web').trim().split('\n').slice(1);
    expect(rows).toHaveLength(1); // the dead frontend was detached, not left behind
  }, 120_000); // eleven plan/apply rounds: past 60 s when the kill sweep shares the machine's two cores

  test('vif: a driver domain without xl devd times out with the explanation and leaves nothing attached', async () => {
    const host = simHost();
    const tf = await open(host, { hotplug_timeout: '1s' });
    await base(tf);
    host.xl('sim-devd', 'netdd', 'stop');
    const config = tf.config('xen_vif', { domain: 'web', backend: 'netdd', bridge: 'xenbr0' });
    const plan = await tf.plan('xen_vif', null, config);
    const err = await tf.apply('xen_vif', null, plan.planned, config).catch((e) => e);
    expect(err).toBeInstanceOf(DiagnosticsError);
    expect(err.message).toMatch(/did not connect/);
    expect(err.message).toMatch(/xl devd/);
    expect(err.message).toMatch(/detached again/);
    expect(host.xl('network-list', 'web').trim().split('\n')).toHaveLength(1); // header only
  });

  test('vif: a driver domain whose backend does not answer yet (xl devd still starting) is retried within hotplug_timeout', async () => {
    const host = simHost();
    const tf = await open(host);
    await base(tf);
    const msg =
      'libxl: error: libxl_device.c:1181:device_backend_callback: Domain 1:unable to add device with path /local/domain/2/backend/vif/1/0';
    host.xl('sim-fault', 'fail-once', 'network-attach', '1', msg);
    host.xl('sim-fault', 'fail-once', 'network-attach', '1', msg);
    const { state } = await tf.applyConfig(
      'xen_vif',
      null,
      tf.config('xen_vif', { domain: 'web', backend: 'netdd', bridge: 'xenbr0' }),
    );
    expect(state.hotplug_status).toBe('connected');
    expect(tf.provider.stderrLines.filter((l) => l.includes('did not answer for the vif yet'))).toHaveLength(2);
    expect(host.xl('network-list', 'web').trim().split('\n')).toHaveLength(2); // header + the one vif
  });

  test('disk: served by a storage driver domain, no-op, import, destroy', async () => {
    const host = simHost();
    const tf = await open(host);
    await tf.applyConfig(
      'xen_pci_assignable',
      null,
      tf.config('xen_pci_assignable', { bdf: '00:1f.2', strict_reset: false }),
    );
    await tf.applyConfig(
      'xen_driver_domain',
      null,
      tf.config('xen_driver_domain', {
        name: 'stordd',
        class: 'storage',
        kernel: KERNEL,
        ramdisk: RAMDISK,
        cmdline: 'iommu=soft',
        pci: [{ bdf: '00:1f.2' }],
      }),
    );
    const dbConfig = tf.config('xen_domain', { name: 'db', firmware: 'pvgrub64' });
    const { state: db } = await tf.applyConfig('xen_domain', null, dbConfig);
    const config = tf.config('xen_disk', { domain: 'db', backend: 'stordd', target: '/dev/vg0/db', vdev: 'xvdb' });
    const { state } = await tf.applyConfig('xen_disk', null, config);
    expect(state).toMatchObject({ id: 'db/xvdb', devid: 51728, state: 4, hotplug_status: 'connected' });
    // The hot-attached disk belongs to xen_disk: the guest's own disk list is unchanged, so no replacement.
    expect((await tf.isNoop('xen_domain', db, dbConfig)).noop).toBe(true);
    expect((await tf.isNoop('xen_disk', state, config)).noop).toBe(true);
    const imported = await tf.importState('xen_disk', 'db/xvdb');
    expect((await tf.isNoop('xen_disk', imported, config)).noop).toBe(true);
    await tf.destroy('xen_disk', state);
    expect(host.xl('block-list', 'db')).not.toMatch(/51728/);
  });

  test('a vif to a domain that does not exist says which one and what to check', async () => {
    const tf = await open(simHost());
    const config = tf.config('xen_vif', { domain: 'ghost', backend: 'Domain-0' });
    const plan = await tf.plan('xen_vif', null, config);
    expect(plan.planned!.id).toBeInstanceOf(Unknown);
    const err = await tf.apply('xen_vif', null, plan.planned, config).catch((e) => e);
    expect(err.diags[0]).toMatchObject({ path: 'domain' });
    expect(err.message).toMatch(/"ghost" is not running/);
  });
});

describe('xen_flask_policy', () => {
  test('loads a policy, toggles enforcing, repairs a setenforce by hand', async () => {
    const host = simHost({ flask: { mode: 'permissive', policy_types: ['dom0_t', 'domU_t'] } });
    const tf = await open(host);
    const file = path.join(host.dir, 'xenpolicy-4.17');
    writeFileSync(file, readFileSync(EXAMPLE_POLICY_FIXTURE));
    const config = tf.config('xen_flask_policy', { policy_file: file });
    const { state } = await tf.applyConfig('xen_flask_policy', null, config);
    expect(state).toMatchObject({
      mode: 'enforcing',
      enforcing: true,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(state.domain_types).toEqual(expect.arrayContaining(['dom0_t', 'domU_t', 'isolated_domU_t', 'dm_dom_t']));
    expect(state.domain_types).not.toContain('nic_dev_t');
    expect(state.resource_types).toContain('nic_dev_t');
    expect(state.noiommu).toContain('domU_t:nic_dev_t');
    // the simulated host now judges labels by the compiled policy it loaded
    expect(host.xl('sim-flask-types').split('\n')).toContain('nic_dev_t');
    expect(host.xlRaw('getenforce').stdout.trim()).toBe('Enforcing');
    expect((await tf.isNoop('xen_flask_policy', state, config)).noop).toBe(true);

    host.xl('setenforce', '0');
    // Terraform runs each command in a new provider process, which sees the host as it is now.
    const next = await open(host);
    const drift = await next.isNoop('xen_flask_policy', state, config);
    expect(drift.noop).toBe(false);
    await next.applyConfig('xen_flask_policy', drift.refreshed, config);
    expect(host.xlRaw('getenforce').stdout.trim()).toBe('Enforcing');
  });

  test('a Xen without FLASK gets a clear error', async () => {
    const host = simHost({ flask: { mode: 'disabled', policy_types: [] } });
    const tf = await open(host);
    const file = path.join(host.dir, 'xenpolicy-4.17');
    writeFileSync(file, readFileSync(EXAMPLE_POLICY_FIXTURE));
    const config = tf.config('xen_flask_policy', { policy_file: file });
    const plan = await tf.plan('xen_flask_policy', null, config);
    const err = await tf.apply('xen_flask_policy', null, plan.planned, config).catch((e) => e);
    expect(err.message).toMatch(/no XSM\/FLASK/);
  });
});

describe('xen_flask_policy: what is not a compiled policy is refused at plan, saying what it is', () => {
  test.each([
    ['the JSON stand-in older versions took', JSON.stringify({ types: ['domU_t'] }), /JSON text/],
    ['a policy source', 'class domain\nallow dom0_t domU_t:domain { create };\n', /policy source text \(policy.conf\)/],
    ['an empty file', '', /empty file/],
    ['a cut policy', 'CUT', /stopped at byte \d+/],
  ])('%s', async (_what, content, detail) => {
    const host = simHost();
    const tf = await open(host);
    const file = path.join(host.dir, 'policy');
    writeFileSync(file, content === 'CUT' ? readFileSync(EXAMPLE_POLICY_FIXTURE).subarray(0, 5000) : content);
    const err = await tf
      .plan('xen_flask_policy', null, tf.config('xen_flask_policy', { policy_file: file }))
      .catch((e) => e);
    expect(err.diags[0]).toMatchObject({
      summary: `${file} is not a compiled FLASK policy`,
      path: 'policy_file',
      detail: expect.stringMatching(detail),
    });
  });
});

describe('data sources', () => {
  test('xen_host, xen_pci_devices and xen_domain report the host', async () => {
    const host = simHost();
    const tf = await open(host);
    const h = await tf.readData('xen_host', {});
    expect(h).toMatchObject({
      xen_version: '4.17.7',
      iommu: true,
      interrupt_remapping: true,
      nr_cpus: 8,
      total_memory: 16384,
      flask_mode: 'enforcing',
    });
    expect(h.virt_caps).toEqual(expect.arrayContaining(['hvm_directio', 'pv_directio']));
    const pci = await tf.readData('xen_pci_devices', {});
    expect((pci.devices as CtyObject[]).map((d) => d.bdf)).toEqual([
      '0000:00:14.0',
      '0000:00:19.0',
      '0000:00:1f.2',
      '0000:01:00.0',
      '0000:03:00.0',
    ]);
    const ahci = (pci.devices as CtyObject[]).find((d) => d.bdf === '0000:00:1f.2')!;
    expect(ahci.reset_method).toBeNull();
    const d0 = await tf.readData('xen_domain', { name: 'Domain-0' });
    expect(d0).toMatchObject({ domid: 0, memory: 2048 });
    const missing = await tf.readData('xen_domain', { name: 'nope' }).catch((e) => e);
    expect(missing.diags[0].path).toBe('name');
  });
});
