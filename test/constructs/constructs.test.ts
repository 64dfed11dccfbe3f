// L2 constructs: the secure defaults they promise and the Terraform JSON they synthesize, for each flavour's built
// package (dist/flavours/*/lib) on that flavour's CDK library.
import type { TerraformStack } from 'cdktn';
import { bindingHas } from '../../constructs/schema-support';
import { EACH_FLAVOUR, loadFlavour } from './flavours';
import type { BuiltFlavour } from './flavours';

interface Synth {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
  provider?: Record<string, Array<Record<string, unknown>>>;
  terraform?: { required_providers: Record<string, { source: string; version: string }> };
}

const SIM = 'sim:///tmp/tfxen-constructs-test';

describe.each(EACH_FLAVOUR)('%s flavour', (_id, flavour) => {
  let built: BuiltFlavour;
  beforeAll(() => {
    built = loadFlavour(flavour);
  });

  function stack(): TerraformStack {
    const { cdk, lib } = built;
    const s = new cdk.TerraformStack(cdk.Testing.app(), 'test');
    new lib.xen.provider.XenProvider(s, 'xen', { connection: SIM });
    return s;
  }

  function synth(s: TerraformStack): { raw: string; json: Synth } {
    const raw = built.cdk.Testing.synth(s, true);
    return { raw, json: JSON.parse(raw) as Synth };
  }

  function only(json: Synth, type: string): Record<string, unknown> {
    const all = Object.values(json.resource[type] ?? {});
    expect(all).toHaveLength(1);
    return all[0];
  }

  function hasResource(raw: string, type: string, properties: Record<string, unknown>): boolean {
    return built.cdk.Testing.toHaveResourceWithProperties(raw, type, properties);
  }

  test("the library is built on its own CDK: its resources are that CDK's TerraformResource", () => {
    const { lib, cdk } = built;
    const s = stack();
    const net = new lib.NetworkDriverDomain(s, 'net', { name: 'netdd', nics: [{ bdf: '03:00.0' }] });
    expect(net.domain).toBeInstanceOf(cdk.TerraformResource);
    expect(cdk.TerraformStack.of(net)).toBe(s);
  });

  describe('NetworkDriverDomain', () => {
    test('makes each NIC assignable (strict reset) and passes it through non-permissive; the domain carries a domain type', () => {
      const { lib } = built;
      const s = stack();
      new lib.NetworkDriverDomain(s, 'net', { name: 'netdd', nics: [{ bdf: '03:00.0' }] });
      const { raw, json } = synth(s);
      expect(
        hasResource(raw, 'xen_pci_assignable', { bdf: '03:00.0', strict_reset: true, rebind_on_destroy: true }),
      ).toBe(true);
      expect(
        hasResource(raw, 'xen_driver_domain', {
          name: 'netdd',
          class: 'network',
          seclabel: 'system_u:system_r:domU_t',
        }),
      ).toBe(true);
      const dd = only(json, 'xen_driver_domain');
      // The bdf comes from the assignable resource, so the NIC is labelled and leaves dom0 before the domain starts.
      expect(dd.pci).toEqual([
        { bdf: expect.stringMatching(/^\$\{xen_pci_assignable\.[^.]+\.bdf\}$/), permissive: false },
      ]);
    });

    test('the NIC gets the device label nic_dev_t (the bindings are generated from a provider with xen_pci_assignable.seclabel)', () => {
      const { lib } = built;
      const s = stack();
      new lib.NetworkDriverDomain(s, 'net', { name: 'netdd', nics: [{ bdf: '03:00.0' }] });
      const pci = only(synth(s).json, 'xen_pci_assignable');
      expect(bindingHas(lib.xen.pciAssignable.PciAssignable, 'seclabel')).toBe(true);
      expect(pci.seclabel).toBe(lib.Labels.NIC_DEVICE);
    });

    test('an explicit device label is set, or refused at synth by bindings whose schema cannot carry it', () => {
      const { lib } = built;
      const s = stack();
      const make = () =>
        new lib.NetworkDriverDomain(s, 'net', {
          name: 'netdd',
          nics: [{ bdf: '03:00.0', seclabel: 'system_u:object_r:my_nic_t' }],
        });
      if (bindingHas(lib.xen.pciAssignable.PciAssignable, 'seclabel')) {
        make();
        expect(only(synth(s).json, 'xen_pci_assignable').seclabel).toBe('system_u:object_r:my_nic_t');
      } else {
        expect(make).toThrow(/device 03:00\.0 seclabel: xen_pci_assignable has no `seclabel`/);
      }
    });

    test('labels are of the right kind: domains get domain types (system_r), devices device types (object_r)', () => {
      const { Labels } = built.lib;
      for (const domain of [Labels.GUEST, Labels.ISOLATED_GUEST, Labels.DEVICE_MODEL, Labels.DRIVER_DOMAIN]) {
        expect(domain).toMatch(/^system_u:system_r:\w+_t$/);
        expect(domain).not.toMatch(/_dev_t$/);
      }
      expect(Labels.NIC_DEVICE).toBe('system_u:object_r:nic_dev_t');
    });

    test('exposes the bridge it serves (xenbr0 by default) and refuses an empty NIC list', () => {
      const { lib } = built;
      const s = stack();
      expect(new lib.NetworkDriverDomain(s, 'a', { name: 'a', nics: [{ bdf: '03:00.0' }] }).bridge).toBe('xenbr0');
      expect(
        new lib.NetworkDriverDomain(s, 'b', { name: 'b', nics: [{ bdf: '00:19.0' }], bridge: 'br-dmz' }).bridge,
      ).toBe('br-dmz');
      expect(() => new lib.NetworkDriverDomain(s, 'c', { name: 'c', nics: [] })).toThrow(/at least one NIC/);
    });
  });

  describe('StorageDriverDomain', () => {
    test('class storage; a controller without reset must be opted in per device; no device label by default', () => {
      const { lib } = built;
      const s = stack();
      new lib.StorageDriverDomain(s, 'st', { name: 'stordd', controllers: [{ bdf: '00:1f.2', strictReset: false }] });
      const { raw, json } = synth(s);
      expect(hasResource(raw, 'xen_driver_domain', { name: 'stordd', class: 'storage' })).toBe(true);
      expect(hasResource(raw, 'xen_pci_assignable', { bdf: '00:1f.2', strict_reset: false })).toBe(true);
      expect(only(json, 'xen_pci_assignable')).not.toHaveProperty('seclabel');
    });
  });

  describe('SecureGuest', () => {
    test('PV: pvgrub64 firmware, no bootloader, guest label, vif served by the driver domain on its bridge', () => {
      const { lib } = built;
      const s = stack();
      const net = new lib.NetworkDriverDomain(s, 'net', { name: 'netdd', nics: [{ bdf: '03:00.0' }], bridge: 'br0' });
      new lib.SecureGuest(s, 'web', { name: 'web', networks: [{ via: net }] });
      const { json } = synth(s);
      const dom = only(json, 'xen_domain');
      expect(dom).toMatchObject({ name: 'web', type: 'pv', firmware: 'pvgrub64', seclabel: lib.Labels.GUEST });
      expect(dom).not.toHaveProperty('bootloader');
      expect(dom).not.toHaveProperty('device_model');
      const vif = only(json, 'xen_vif');
      expect(vif).toMatchObject({ bridge: 'br0' });
      expect(vif.backend).toMatch(/^\$\{xen_driver_domain\.[^.]+\.name\}$/);
      expect(vif.domain).toMatch(/^\$\{xen_domain\.[^.]+\.name\}$/);
    });

    test('HVM: device model in a stub domain with its own label, never in dom0; plain strings work for enums', () => {
      const { lib } = built;
      const s = stack();
      new lib.SecureGuest(s, 'win', { name: 'win', type: lib.GuestType.HVM });
      // What a plain JavaScript (or Python) user passes: the enum member's value.
      new lib.SecureGuest(s, 'win2', { name: 'win2', type: 'hvm' as never });
      const { raw, json } = synth(s);
      expect(
        hasResource(raw, 'xen_domain', {
          name: 'win',
          type: 'hvm',
          device_model: { stubdomain: true, seclabel: lib.Labels.DEVICE_MODEL },
        }),
      ).toBe(true);
      for (const d of Object.values(json.resource.xen_domain)) {
        expect(d).not.toHaveProperty('firmware');
        expect(d.device_model).toMatchObject({ stubdomain: true });
      }
    });

    test('re-creating the serving driver domain (or the guest) re-attaches the vif in the same apply', () => {
      const { lib } = built;
      const s = stack();
      const net = new lib.NetworkDriverDomain(s, 'net', { name: 'netdd', nics: [{ bdf: '03:00.0' }] });
      net.domain.overrideLogicalId('netdd');
      const guest = new lib.SecureGuest(s, 'web', { name: 'web', networks: [{ via: net }] });
      const { json } = synth(s);
      const guestKey = Object.keys(json.resource.xen_domain)[0];
      expect(guestKey).toBe(guest.domain.friendlyUniqueId);
      expect(only(json, 'xen_vif').lifecycle).toEqual({
        replace_triggered_by: [`xen_domain.${guestKey}.uuid`, 'xen_driver_domain.netdd.uuid'],
      });
      expect(lib.Reattach.whenReplaced(guest.domain, net.domain)).toEqual([
        `xen_domain.${guestKey}.uuid`,
        'xen_driver_domain.netdd.uuid',
      ]);
    });

    test('disks are in the domain config with the storage driver domain as backend; re-creating it re-creates the guest', () => {
      const { lib } = built;
      const s = stack();
      const st = new lib.StorageDriverDomain(s, 'st', { name: 'stordd' });
      st.domain.overrideLogicalId('stordd');
      new lib.SecureGuest(s, 'web', { name: 'web', disks: [{ via: st, target: '/dev/vg0/web', vdev: 'xvda' }] });
      const dom = only(synth(s).json, 'xen_domain');
      expect(dom.disk).toEqual([
        {
          target: '/dev/vg0/web',
          vdev: 'xvda',
          format: 'raw',
          access: 'rw',
          backend: '${xen_driver_domain.stordd.name}',
        },
      ]);
      expect(dom.lifecycle).toEqual({ replace_triggered_by: ['xen_driver_domain.stordd.uuid'] });
    });
  });

  describe('SecureHost', () => {
    type HostProps = ConstructorParameters<BuiltFlavour['lib']['SecureHost']>[2];

    function host(extra: Partial<HostProps> = {}) {
      const { lib, cdk } = built;
      const s = new cdk.TerraformStack(cdk.Testing.app(), 'h');
      const h = new lib.SecureHost(s, 'host', {
        providerConfig: { connection: SIM },
        flaskPolicy: { policyFile: '/boot/xenpolicy-4.17' },
        network: { name: 'netdd', nics: [{ bdf: '03:00.0' }] },
        storage: { name: 'stordd' },
        ...extra,
      });
      h.addGuest('web', { name: 'web', disks: [{ target: '/dev/vg0/web', vdev: 'xvda' }] });
      h.addGuest('win', { name: 'win', type: lib.GuestType.HVM });
      return { s, h, ...synth(s) };
    }

    test('the provider block names its connection and enforces the security policy; FLASK policy loaded and enforcing', () => {
      const { raw, json } = host();
      expect(json.provider?.xen).toEqual([{ connection: SIM, security_policy: 'enforce' }]);
      expect(hasResource(raw, 'xen_flask_policy', { policy_file: '/boot/xenpolicy-4.17', enforcing: true })).toBe(true);
      expect(json.terraform?.required_providers.xen.source).toBe('xen-project/xen');
    });

    test('a connection is required: none at all is refused at synth with the three choices', () => {
      expect(() => host({ providerConfig: { connection: '' } })).toThrow(
        /xl:\/\/\/usr\/sbin\/xl.*ssh:\/\/.*sim:\/\/DIR/,
      );
    });

    test('provider settings: security policy, timeouts, alias', () => {
      const { lib } = built;
      const { json } = host({
        providerConfig: {
          connection: 'xl:///usr/sbin/xl',
          securityPolicy: lib.SecurityPolicy.WARN,
          hotplugTimeout: '45s',
          shutdownTimeout: '10s',
          configDir: '/srv/xl',
          alias: 'rack2',
        },
      });
      expect(json.provider?.xen).toEqual([
        {
          connection: 'xl:///usr/sbin/xl',
          security_policy: 'warn',
          hotplug_timeout: '45s',
          shutdown_timeout: '10s',
          config_dir: '/srv/xl',
          alias: 'rack2',
        },
      ]);
      for (const r of Object.values(json.resource.xen_domain)) expect(r.provider).toBe('xen.rack2');
    });

    test('the ssh block reaches the provider config (snake_case), or is refused by bindings whose schema has none', () => {
      const { lib } = built;
      const ssh = {
        knownHosts: 'dom0.example ssh-ed25519 AAAAC3Nza',
        identityFile: '/ci/id_ed25519',
        proxyJump: 'ci@bastion:22',
        configFile: '/ci/ssh_config',
        sudo: true,
      };
      const make = () => host({ providerConfig: { connection: 'ssh://xen@dom0.example/usr/sbin/xl', ssh } });
      if (bindingHas(lib.xen.provider.XenProvider, 'ssh')) {
        const block = make().json.provider!.xen[0].ssh as Record<string, unknown> | Array<Record<string, unknown>>;
        expect(Array.isArray(block) ? block[0] : block).toEqual({
          known_hosts: ssh.knownHosts,
          identity_file: ssh.identityFile,
          proxy_jump: ssh.proxyJump,
          config_file: ssh.configFile,
          sudo: true,
        });
      } else {
        expect(make).toThrow(/ssh: xen has no `ssh` in the provider schema/);
      }
    });

    test('every labelled domain is created after the policy is loaded', () => {
      const { json } = host();
      const policy = Object.keys(json.resource.xen_flask_policy)[0];
      for (const type of ['xen_domain', 'xen_driver_domain']) {
        for (const r of Object.values(json.resource[type]))
          expect(r.depends_on).toContain(`xen_flask_policy.${policy}`);
      }
    });

    test('guests get a vif on the host network driver domain and disks on its storage driver domain by default', () => {
      const { json } = host();
      const vifs = Object.values(json.resource.xen_vif);
      expect(vifs).toHaveLength(2);
      for (const v of vifs) expect(v.backend).toMatch(/xen_driver_domain\.host_network_domain_\w+\.name/);
      const web = Object.values(json.resource.xen_domain).find((d) => d.name === 'web')!;
      expect((web.disk as Array<{ backend: string }>)[0].backend).toMatch(
        /xen_driver_domain\.host_storage_domain_\w+\.name/,
      );
    });

    test('a disk without a storage driver domain is refused at synth time', () => {
      const { lib, cdk } = built;
      const s = new cdk.TerraformStack(cdk.Testing.app(), 'h');
      const h = new lib.SecureHost(s, 'host', {
        providerConfig: { connection: SIM },
        flaskPolicy: { policyFile: '/p' },
      });
      expect(() => h.addGuest('g', { name: 'g', disks: [{ target: '/x', vdev: 'xvda' }] })).toThrow(
        /storage driver domain/,
      );
    });

    test('posture output: host facts, policy mode, who serves what, and the posture data source read after everything', () => {
      const { json } = host();
      const posture = Object.values(json.data!.xen_security_posture)[0];
      const deps = posture.depends_on as string[];
      expect(deps.every((d) => !d.startsWith('${'))).toBe(true);
      expect(deps).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^xen_vif\./),
          expect.stringMatching(/^xen_domain\./),
          expect.stringMatching(/^xen_driver_domain\./),
        ]),
      );
      expect(deps.filter((d) => d.startsWith('xen_domain.'))).toHaveLength(2); // guests added after construction count
      const value = json.output!.posture.value as Record<string, unknown>;
      expect(Object.keys(value).sort()).toEqual([
        'driver_domains',
        'errors',
        'findings',
        'flask',
        'guests',
        'host',
        'tcb',
        'warnings',
      ]);
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
});
