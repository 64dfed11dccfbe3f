// L2 constructs: the secure defaults they promise and the Terraform JSON they synthesize.
import { Testing, TerraformStack } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest'; // the matchers' typings
import type { App } from 'cdktf';
import { NetworkDriverDomain, SecureGuest, SecureHost, StorageDriverDomain, LABELS } from '../../constructs';
import { DriverDomain } from '../../constructs/providers/xen/driver-domain';
import { Domain } from '../../constructs/providers/xen/domain';
import { PciAssignable } from '../../constructs/providers/xen/pci-assignable';
import { Vif } from '../../constructs/providers/xen/vif';
import { FlaskPolicy } from '../../constructs/providers/xen/flask-policy';
import { DataXenSecurityPosture } from '../../constructs/providers/xen/data-xen-security-posture';
import { XenProvider } from '../../constructs/providers/xen/provider';

Testing.setupJest();

interface Synth {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
  provider?: Record<string, Array<Record<string, unknown>>>;
  terraform?: { required_providers: Record<string, { source: string; version: string }> };
}

function stack(): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const s = new TerraformStack(app, 'test');
  new XenProvider(s, 'xen', {});
  return { app, stack: s };
}

function synth(s: TerraformStack): { raw: string; json: Synth } {
  const raw = Testing.synth(s);
  return { raw, json: JSON.parse(raw) as Synth };
}

function only(json: Synth, type: string): Record<string, unknown> {
  const all = Object.values(json.resource[type] ?? {});
  expect(all).toHaveLength(1);
  return all[0];
}

describe('NetworkDriverDomain', () => {
  test('makes each NIC assignable (strict reset) and passes it through non-permissive, labelled nic_dev_t', () => {
    const { stack: s } = stack();
    new NetworkDriverDomain(s, 'net', { name: 'netdd', nics: ['03:00.0'] });
    const { raw, json } = synth(s);
    expect(raw).toHaveResourceWithProperties(PciAssignable, { bdf: '03:00.0', strict_reset: true, rebind_on_destroy: true });
    expect(raw).toHaveResourceWithProperties(DriverDomain, { name: 'netdd', class: 'network', seclabel: LABELS.driverDomain });
    const dd = only(json, 'xen_driver_domain');
    // The bdf comes from the assignable resource, so the NIC leaves dom0 before the driver domain starts.
    expect(dd.pci).toEqual([{ bdf: expect.stringMatching(/^\$\{xen_pci_assignable\.[^.]+\.bdf\}$/), permissive: false }]);
  });

  test('exposes the bridge it serves (xenbr0 by default) and refuses an empty NIC list', () => {
    const { stack: s } = stack();
    expect(new NetworkDriverDomain(s, 'a', { name: 'a', nics: ['03:00.0'] }).bridge).toBe('xenbr0');
    expect(new NetworkDriverDomain(s, 'b', { name: 'b', nics: ['00:19.0'], bridge: 'br-dmz' }).bridge).toBe('br-dmz');
    expect(() => new NetworkDriverDomain(s, 'c', { name: 'c', nics: [] })).toThrow(/at least one NIC/);
  });
});

describe('StorageDriverDomain', () => {
  test('class storage; a controller without reset must be opted in per device', () => {
    const { stack: s } = stack();
    new StorageDriverDomain(s, 'st', { name: 'stordd', controllers: [{ bdf: '00:1f.2', strictReset: false }] });
    const { raw } = synth(s);
    expect(raw).toHaveResourceWithProperties(DriverDomain, { name: 'stordd', class: 'storage' });
    expect(raw).toHaveResourceWithProperties(PciAssignable, { bdf: '00:1f.2', strict_reset: false });
  });
});

describe('SecureGuest', () => {
  test('PV: pvgrub64 firmware, no bootloader, guest label, vif served by the driver domain on its bridge', () => {
    const { stack: s } = stack();
    const net = new NetworkDriverDomain(s, 'net', { name: 'netdd', nics: ['03:00.0'], bridge: 'br0' });
    new SecureGuest(s, 'web', { name: 'web', networks: [{ via: net }] });
    const { json } = synth(s);
    const dom = only(json, 'xen_domain');
    expect(dom).toMatchObject({ name: 'web', type: 'pv', firmware: 'pvgrub64', seclabel: LABELS.guest });
    expect(dom).not.toHaveProperty('bootloader');
    expect(dom).not.toHaveProperty('device_model');
    const vif = only(json, 'xen_vif');
    expect(vif).toMatchObject({ bridge: 'br0' });
    expect(vif.backend).toMatch(/^\$\{xen_driver_domain\.[^.]+\.name\}$/);
    expect(vif.domain).toMatch(/^\$\{xen_domain\.[^.]+\.name\}$/);
  });

  test('HVM: device model in a stub domain with its own label, never in dom0', () => {
    const { stack: s } = stack();
    new SecureGuest(s, 'win', { name: 'win', type: 'hvm' });
    const { raw, json } = synth(s);
    expect(raw).toHaveResourceWithProperties(Domain, { type: 'hvm', device_model: { stubdomain: true, seclabel: LABELS.deviceModel } });
    expect(only(json, 'xen_domain')).not.toHaveProperty('firmware');
  });

  test('re-creating the serving driver domain (or the guest) re-attaches the vif in the same apply', () => {
    const { stack: s } = stack();
    const net = new NetworkDriverDomain(s, 'net', { name: 'netdd', nics: ['03:00.0'] });
    net.domain.overrideLogicalId('netdd');
    const guest = new SecureGuest(s, 'web', { name: 'web', networks: [{ via: net }] });
    const { json } = synth(s);
    const guestKey = Object.keys(json.resource.xen_domain)[0];
    expect(guestKey).toBe(guest.domain.friendlyUniqueId);
    expect(only(json, 'xen_vif').lifecycle).toEqual({ replace_triggered_by: [`xen_domain.${guestKey}.uuid`, 'xen_driver_domain.netdd.uuid'] });
  });

  test('disks are in the domain config with the storage driver domain as backend; re-creating it re-creates the guest', () => {
    const { stack: s } = stack();
    const st = new StorageDriverDomain(s, 'st', { name: 'stordd' });
    st.domain.overrideLogicalId('stordd');
    new SecureGuest(s, 'web', { name: 'web', disks: [{ via: st, target: '/dev/vg0/web', vdev: 'xvda' }] });
    const dom = only(synth(s).json, 'xen_domain');
    expect(dom.disk).toEqual([{ target: '/dev/vg0/web', vdev: 'xvda', format: 'raw', access: 'rw', backend: '${xen_driver_domain.stordd.name}' }]);
    expect(dom.lifecycle).toEqual({ replace_triggered_by: ['xen_driver_domain.stordd.uuid'] });
  });
});

describe('SecureHost', () => {
  function host(extra: Partial<ConstructorParameters<typeof SecureHost>[2]> = {}) {
    const app = Testing.app();
    const s = new TerraformStack(app, 'h');
    const h = new SecureHost(s, 'host', {
      flaskPolicy: { policyFile: '/boot/xenpolicy-4.17' },
      network: { name: 'netdd', nics: ['03:00.0'] },
      storage: { name: 'stordd' },
      ...extra,
    });
    h.addGuest('web', { name: 'web', disks: [{ target: '/dev/vg0/web', vdev: 'xvda' }] });
    h.addGuest('win', { name: 'win', type: 'hvm' });
    return { s, h, ...synth(s) };
  }

  test('provider enforces the security policy; FLASK policy loaded and enforcing', () => {
    const { raw, json } = host();
    expect(json.provider?.xen).toEqual([{ security_policy: 'enforce' }]);
    expect(raw).toHaveResourceWithProperties(FlaskPolicy, { policy_file: '/boot/xenpolicy-4.17', enforcing: true });
    expect(json.terraform?.required_providers.xen.source).toBe('xen-project/xen');
  });

  test('every labelled domain is created after the policy is loaded', () => {
    const { json } = host();
    const policy = Object.keys(json.resource.xen_flask_policy)[0];
    for (const type of ['xen_domain', 'xen_driver_domain']) {
      for (const r of Object.values(json.resource[type])) expect(r.depends_on).toContain(`xen_flask_policy.${policy}`);
    }
  });

  test('guests get a vif on the host network driver domain and disks on its storage driver domain by default', () => {
    const { json } = host();
    const vifs = Object.values(json.resource.xen_vif);
    expect(vifs).toHaveLength(2);
    for (const v of vifs) expect(v.backend).toMatch(/xen_driver_domain\.host_network_domain_\w+\.name/);
    const web = Object.values(json.resource.xen_domain).find((d) => d.name === 'web')!;
    expect((web.disk as Array<{ backend: string }>)[0].backend).toMatch(/xen_driver_domain\.host_storage_domain_\w+\.name/);
  });

  test('a disk without a storage driver domain is refused at synth time', () => {
    const app = Testing.app();
    const s = new TerraformStack(app, 'h');
    const h = new SecureHost(s, 'host', { flaskPolicy: { policyFile: '/p' } });
    expect(() => h.addGuest('g', { name: 'g', disks: [{ target: '/x', vdev: 'xvda' }] })).toThrow(/storage driver domain/);
  });

  test('posture output: host facts, policy mode, who serves what, and the posture data source read after everything', () => {
    const { raw, json } = host();
    expect(raw).toHaveDataSource(DataXenSecurityPosture);
    const posture = Object.values(json.data!.xen_security_posture)[0];
    const deps = posture.depends_on as string[];
    expect(deps.every((d) => !d.startsWith('${'))).toBe(true);
    expect(deps).toEqual(expect.arrayContaining([expect.stringMatching(/^xen_vif\./), expect.stringMatching(/^xen_domain\./), expect.stringMatching(/^xen_driver_domain\./)]));
    expect(deps.filter((d) => d.startsWith('xen_domain.'))).toHaveLength(2); // guests added after construction count
    const value = json.output!.posture.value as Record<string, unknown>;
    expect(Object.keys(value).sort()).toEqual(['driver_domains', 'errors', 'findings', 'flask', 'guests', 'host', 'tcb', 'warnings']);
    expect(Object.keys(value.guests as object).sort()).toEqual(['web', 'win']);
    expect(value.findings).toMatch(/^\$\{data\.xen_security_posture\.\w+\.findings\}$/);
  });

  test('postureFindings: false leaves the data source out; postureOutputName renames the output', () => {
    const { json } = host({ postureFindings: false, postureOutputName: 'report' });
    expect(json.data?.xen_security_posture).toBeUndefined();
    expect(json.output).toHaveProperty('report');
    expect(Object.keys(json.output!.report.value as object)).not.toContain('findings');
  });
});

test('Vif binding class is the generated one (sanity for the matchers above)', () => {
  expect(Vif.tfResourceType).toBe('xen_vif');
});
