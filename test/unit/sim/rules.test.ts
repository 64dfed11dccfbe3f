// libxl's rules as the simulator enforces them, on the built-in demo host unless a test says otherwise.

import { mkdtempSync, readlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_INVENTORY, Inventory } from '../../../provider/xen/sim/inventory';
import { checkState } from '../../../provider/xen/sim/state';
import { SimHost } from './helpers';

const cfgDir = mkdtempSync(join(tmpdir(), 'xl-sim-rules-'));
const hosts: SimHost[] = [];
afterAll(() => hosts.forEach((h) => h.cleanup()));

function newHost(overrides: Partial<Inventory> = {}, env: Record<string, string> = {}): SimHost {
  let extra = env;
  if (Object.keys(overrides).length) {
    const file = join(cfgDir, `inv-${hosts.length}.json`);
    writeFileSync(file, JSON.stringify({ ...DEMO_INVENTORY, ...overrides }));
    extra = { ...env, XEN_SIM_INVENTORY: file };
  }
  const h = new SimHost(extra);
  hosts.push(h);
  return h;
}

let n = 0;
function cfg(lines: Record<string, string | number | string[]>): string {
  const file = join(cfgDir, `c${n++}.cfg`);
  const q = (s: string) => JSON.stringify(s);
  const text = Object.entries(lines)
    .map(([k, v]) => `${k} = ${Array.isArray(v) ? `[ ${v.map(q).join(', ')} ]` : typeof v === 'number' ? v : q(v)}`)
    .join('\n');
  writeFileSync(file, text + '\n');
  return file;
}

const KERNEL = '/var/lib/xen/images/vmlinuz';
const pv = (name: string, more: Record<string, string | number | string[]> = {}) =>
  cfg({ name, type: 'pv', kernel: KERNEL, ramdisk: '/var/lib/xen/images/initrd.img', memory: 256, vcpus: 1, ...more });

describe('domains', () => {
  it('duplicate name fails with exit 3 and burns the domid', async () => {
    const h = newHost();
    await h.ok('create', pv('g'));
    const r = await h.xl('create', pv('g'));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('libxl__domain_rename: Domain 2:Domain with name "g" already exists.');
    await h.ok('create', pv('h'));
    expect((await h.ok('domid', 'h')).stdout).toBe('3\n');
  });

  it('not enough free memory: host memory minus dom0, xen and running domains', async () => {
    const h = newHost();
    const free = Number(/free_memory\s+: (\d+)/.exec((await h.ok('info')).stdout)![1]);
    expect(free).toBe(16384 - 34 - 2048);
    await h.ok('create', pv('big', { memory: free - 100 }));
    const r = await h.xl('create', pv('more', { memory: 200 }));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/can't allocate low memory for domain: Out of memory/);
    expect((await h.ok('info')).stdout).toMatch(/free_memory\s+: 100\n/);
  });

  it('missing kernel (inventory lists the files present) uses the real message', async () => {
    const r = await newHost().xl('create', cfg({ name: 'k', kernel: '/boot/nope', memory: 64 }));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      "xc: error: panic: xg_dom_core.c:205: failed to open file '/boot/nope': No such file or directory: Internal error",
    );
  });

  it('pvgrub64 firmware resolves to XENFIRMWAREDIR/pvgrub64.bin', async () => {
    const h = newHost();
    const r = await h.ok('create', '-n', cfg({ name: 'p', firmware: 'pvgrub64', memory: 64 }));
    expect(JSON.parse(r.stdout).b_info.kernel).toBe('/usr/lib/xen-4.17/boot/pvgrub64.bin');
    await h.ok('create', cfg({ name: 'p', firmware: 'pvgrub64', memory: 64 }));
  });

  it('mem-set and vcpu-set respect maxmem, maxvcpus and host CPUs', async () => {
    const h = newHost();
    await h.ok('create', pv('m', { memory: 256, maxmem: 512, vcpus: 1, maxvcpus: 4 }));
    await h.ok('mem-set', 'm', '384m');
    expect((await h.xl('mem-set', 'm', '1g')).stderr).toContain(
      'memory_dynamic_max must be less than or equal to memory_static_max',
    );
    await h.ok('vcpu-set', 'm', '3');
    const r = await h.xl('vcpu-set', 'm', '5');
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining('Requested 5 VCPUs, however maxcpus is 4!')]);
    expect((await h.xl('vcpu-set', 'm', '9')).stderr).toContain(
      'You are overcommmitting! You have 8 physical CPUs and want 9 vCPUs!',
    );
    const cfgJson = JSON.parse((await h.ok('list', '-l', 'm')).stdout)[0].config;
    expect(cfgJson.b_info).toMatchObject({
      max_vcpus: 4,
      avail_vcpus: [0, 1, 2],
      max_memkb: 524288,
      target_memkb: 393216,
    });
    expect((await h.ok('list', 'm')).stdout).toMatch(/^m\s+1\s+384\s+3\s/m);
  });

  it('destroy and shutdown remove the domain; Domain-0 is protected', async () => {
    const h = newHost();
    await h.ok('create', pv('a'));
    await h.ok('create', pv('b'));
    await h.ok('destroy', 'a');
    expect((await h.xl('shutdown', 'b')).stderr).toBe('Shutting down domain 2\n');
    expect((await h.xl('destroy', '0')).stderr).toBe('Destroying domid 0 is not permitted.\n');
    expect((await h.ok('list')).stdout.trim().split('\n')).toHaveLength(2);
  });
});

describe('FLASK', () => {
  it('enforcing demo host: labels checked against the policy types, shown by list -Z', async () => {
    const h = newHost();
    expect(await h.xl('getenforce')).toMatchObject({ code: 1, stdout: 'Enforcing\n' });
    const bad = await h.xl('create', pv('l', { seclabel: 'system_u:system_r:nosuch_t' }));
    expect([bad.code, bad.stderr]).toEqual([
      3,
      expect.stringContaining('libxl__domain_config_setdefault: Invalid init_seclabel: system_u:system_r:nosuch_t'),
    ]);
    await h.ok('create', pv('l', { seclabel: 'system_u:system_r:isolated_domU_t' }));
    await h.ok('create', pv('u'));
    const z = (await h.ok('list', '-Z')).stdout;
    expect(z).toMatch(/^l .* system_u:system_r:isolated_domU_t$/m);
    expect(z).toMatch(/^u .* system_u:system_r:domU_t$/m);
    expect(z).toMatch(/^Domain-0 .* system_u:system_r:dom0_t$/m);
    // The failed label check happened before a domid was allocated.
    expect((await h.ok('domid', 'l')).stdout).toBe('1\n');
  });

  it('setenforce / loadpolicy change mode and types', async () => {
    const h = newHost();
    await h.ok('setenforce', '0');
    expect(await h.xl('getenforce')).toMatchObject({ code: 0, stdout: 'Permissive\n' });
    // the compiled custom policy (test/fixtures/flask/custom-policy.diff) defines web_t in system_r
    const pol = join(__dirname, '..', '..', 'fixtures', 'flask', 'custom-policy');
    // xl_flask.c prints this on stdout after libxl_flask_loadpolicy succeeds (seen on the FLASK lab too)
    expect((await h.ok('loadpolicy', pol)).stdout).toBe('Successfully loaded policy.\n');
    await h.ok('create', pv('w', { seclabel: 'system_u:system_r:web_t' }));
    expect(h.state().flask.policySha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await h.ok('sim-flask-types')).stdout.split('\n')).toEqual(expect.arrayContaining(['web_t', 'nic_dev_t']));
  });

  it('loadpolicy: a compiled policy defines the labels; a device type is no domain label (libxl: Invalid init_seclabel)', async () => {
    const h = newHost();
    await h.ok('loadpolicy', join(__dirname, '..', '..', 'fixtures', 'flask', 'xenpolicy-4.17'));
    const dev = await h.xl('create', pv('n', { seclabel: 'system_u:system_r:nic_dev_t' }));
    expect([dev.code, dev.stderr]).toEqual([
      3,
      expect.stringContaining('Invalid init_seclabel: system_u:system_r:nic_dev_t'),
    ]);
    expect((await h.xl('create', pv('u', { seclabel: 'user_1:system_r:domU_t' }))).code).toBe(3);
    await h.ok('create', pv('d', { seclabel: 'system_u:system_r:domU_t' }));
  });

  it('loadpolicy refuses what is not a compiled policy, as Xen does, and keeps the loaded one', async () => {
    const h = newHost();
    await h.ok('setenforce', '1');
    const before = h.state().flask;
    const pol = join(cfgDir, 'policy.json');
    writeFileSync(pol, JSON.stringify({ types: ['domU_t', 'web_t'] }));
    expect(await h.xl('loadpolicy', pol)).toMatchObject({
      code: 255,
      stderr: 'Unable to load new Flask policy: Invalid argument\n',
    });
    expect(h.state().flask).toEqual(before);
    expect(await h.xl('loadpolicy', join(cfgDir, 'nonexistent'))).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^Error occurred opening policy file/),
    });
  });

  it('disabled: labels ignored with the warning, getenforce 255, setenforce refused', async () => {
    const h = newHost({ flask: { mode: 'disabled', policy_types: [] } });
    expect(await h.xl('getenforce')).toEqual({ code: 255, stdout: 'Flask XSM Disabled\n', stderr: '' });
    const r = await h.xl('create', pv('l', { seclabel: 'system_u:system_r:whatever_t' }));
    expect(r).toMatchObject({ code: 0, stderr: expect.stringContaining('XSM Disabled: init_seclabel not supported') });
    expect((await h.ok('list', '-Z')).stdout).toMatch(/^l .* -$/m);
    expect(JSON.parse((await h.ok('list', '-l', 'l')).stdout)[0].config.c_info.ssid_label).toBe(
      'system_u:system_r:whatever_t',
    );
    expect(await h.xl('setenforce', '1')).toMatchObject({ code: 255, stderr: 'Flask XSM disabled\n' });
  });
});

describe('PCI', () => {
  it('pci-assignable-add rebinds to pciback in the sysfs mirror; -remove -r restores the driver', async () => {
    const h = newHost();
    const link = join(h.dir, 'sys/bus/pci/devices/0000:03:00.0/driver');
    await h.ok('list');
    expect(readlinkSync(link)).toBe('../../drivers/igb');
    await h.ok('pci-assignable-add', '03:00.0');
    expect(readlinkSync(link)).toBe('../../drivers/pciback');
    expect((await h.ok('pci-assignable-list')).stdout).toBe('0000:03:00.0 \n');
    await h.ok('pci-assignable-remove', '-r', '0000:03:00.0');
    expect(readlinkSync(link)).toBe('../../drivers/igb');
    await h.ok('pci-assignable-add', '03:00.0');
    await h.ok('pci-assignable-remove', '0000:03:00.0');
    expect(existsSync(link)).toBe(false);
    expect(existsSync(join(h.dir, 'sys/bus/pci/devices/0000:00:1f.2/reset_method'))).toBe(false);
    expect((await h.xl('pci-assignable-add', '0000:09:00.0')).stderr).toContain(
      "Couldn't lstat /sys/bus/pci/devices/0000:09:00.0",
    );
  });

  it('not assignable, already assigned, assigned device cannot be removed', async () => {
    const h = newHost();
    const nope = await h.xl('create', pv('d1', { pci: ['0000:03:00.0'] }));
    expect([nope.code, nope.stderr]).toEqual([3, expect.stringContaining('PCI device 0:3:0.0 is not assignable')]);
    await h.ok('pci-assignable-add', '0000:03:00.0');
    await h.ok('create', pv('d1', { pci: ['0000:03:00.0'], driver_domain: 1 }));
    expect((await h.ok('pci-list', 'd1')).stdout).toBe('Vdev Device\n00.0 0000:03:00.0\n');
    expect((await h.ok('pci-assignable-list')).stdout).toBe('');
    const again = await h.xl('create', pv('d2', { pci: ['0000:03:00.0'] }));
    expect(again.stderr).toContain('PCI device 0:3:0.0 is not assignable');
    expect((await h.xl('pci-attach', 'd1', '0000:03:00.0')).code).toBe(1);
    expect((await h.xl('pci-assignable-remove', '0000:03:00.0')).stderr).toContain('is assigned to domain');
    await h.ok('pci-detach', 'd1', '0000:03:00.0');
    await h.ok('pci-attach', 'd1', '0000:03:00.0');
    await h.ok('destroy', 'd1');
    expect((await h.ok('pci-assignable-list')).stdout).toBe('0000:03:00.0 \n');
  });

  it('passthrough without an IOMMU is refused (HVM and PV alike, as libxl does)', async () => {
    const h = newHost({ iommu: 'none' });
    await h.ok('pci-assignable-add', '0000:01:00.0');
    const r = await h.xl('create', cfg({ name: 'gpu', type: 'hvm', memory: 512, pci: ['0000:01:00.0'] }));
    expect([r.code, r.stderr]).toEqual([3, expect.stringContaining('passthrough not supported on this platform')]);
    expect((await h.ok('info')).stdout).toMatch(/virt_caps\s+: pv hvm hap gnttab-v1 gnttab-v2\n/);
    expect((await h.ok('dmesg')).stdout).toContain('(XEN) I/O virtualisation disabled');
  });

  it('xl dmesg tells interrupt remapping apart', async () => {
    expect((await newHost().ok('dmesg')).stdout).toContain('Intel VT-d Interrupt Remapping enabled.');
    expect((await newHost({ iommu: 'present' }).ok('dmesg')).stdout).toContain(
      'Intel VT-d Interrupt Remapping not enabled.',
    );
  });
});

describe('stub domains', () => {
  it('a stub-domain HVM guest gets <name>-dm, destroyed with it', async () => {
    const h = newHost();
    await h.ok(
      'create',
      cfg({
        name: 'hvm1',
        type: 'hvm',
        memory: 512,
        device_model_stubdomain_override: 1,
        device_model_stubdomain_seclabel: 'system_u:system_r:dm_dom_t',
      }),
    );
    const list = (await h.ok('list', '-Z')).stdout;
    expect(list).toMatch(/^hvm1-dm\s+2\s+128\s+1\s.*system_u:system_r:dm_dom_t$/m);
    expect(JSON.parse((await h.ok('list', '-l')).stdout).map((e: { domid: number }) => e.domid)).toEqual([0, 1]);
    await h.ok('destroy', 'hvm1');
    expect((await h.ok('list')).stdout).not.toContain('hvm1');
  });

  it('no stub domain image: the real libxl failure', async () => {
    const files = DEMO_INVENTORY.files.filter((f) => !f.includes('stubdom'));
    const r = await newHost({ files }).xl(
      'create',
      cfg({ name: 's', type: 'hvm', memory: 128, device_model_stubdomain_override: 1 }),
    );
    expect([r.code, r.stderr]).toEqual([
      3,
      expect.stringContaining(
        'could not access stubdomain kernel /usr/lib/xen-4.17/boot/ioemu-stubdom.gz: No such file or directory',
      ),
    ]);
  });
});

describe('devices, xenstore and hotplug', () => {
  async function withDriverDomain(h: SimHost): Promise<void> {
    await h.ok('create', pv('drv', { driver_domain: 1 }));
    await h.ok('create', pv('guest', { vif: ['backend=drv,bridge=xenbr0'] }));
  }
  const read = async (h: SimHost, p: string) => (await h.xl('xenstore-read', p)).stdout.trim();

  it('unknown backend domain on create and on attach', async () => {
    const h = newHost();
    const r = await h.xl('create', pv('g', { vif: ['backend=ghost'] }));
    expect(r.stderr).toContain('Unable to set nic defaults for nic 0');
    await h.ok('create', pv('g'));
    expect((await h.xl('network-attach', 'g', 'backend=ghost')).code).toBe(1);
    expect((await h.xl('block-attach', 'g', 'vdev=xvdb,backend=ghost,target=/x')).code).toBe(1);
  });

  it('driver domain answers hotplug only while xl devd runs', async () => {
    const h = newHost();
    await withDriverDomain(h);
    const be = '/local/domain/1/backend/vif/2/0';
    expect(await read(h, `${be}/state`)).toBe('4');
    expect(await read(h, `${be}/hotplug-status`)).toBe('connected');
    expect(await read(h, '/local/domain/1/data/devd')).toBe('ready');
    await h.ok('sim-devd', 'drv', 'stop');
    await h.ok('network-attach', 'guest', 'backend=drv', 'bridge=xenbr0');
    expect(await read(h, '/local/domain/1/backend/vif/2/1/state')).toBe('2');
    expect((await h.xl('xenstore-exists', '/local/domain/1/backend/vif/2/1/hotplug-status')).code).toBe(1);
    expect((await h.ok('network-list', 'guest')).stdout.split('\n')[2]).toMatch(/^1\s+1\s+\S+\s+1\s+3\s/);
    await h.ok('sim-devd', 'drv', 'start');
    expect(await read(h, '/local/domain/1/backend/vif/2/1/state')).toBe('4');
  });

  it('hotplug_delay_ms: state 4 only after the delay, so callers poll', async () => {
    const h = newHost({ hotplug_delay_ms: 300 });
    await h.ok('create', pv('g', { vif: ['bridge=xenbr0'] }));
    expect(await read(h, '/local/domain/0/backend/vif/1/0/state')).toBe('2');
    await new Promise((r) => setTimeout(r, 350));
    expect(await read(h, '/local/domain/0/backend/vif/1/0/state')).toBe('4');
  });

  it('a crashed driver domain comes back with a new domid; frontends go Closed, backends vanish', async () => {
    const h = newHost();
    await withDriverDomain(h);
    await h.ok('sim-crash', 'drv');
    expect((await h.ok('domid', 'drv')).stdout).toBe('3\n');
    expect(await read(h, '/local/domain/2/device/vif/0/state')).toBe('6');
    expect((await h.xl('xenstore-read', '/local/domain/1/backend/vif/2/0/state')).code).toBe(1);
    expect((await h.xl('xenstore-ls', '/local/domain/3/backend')).code).toBe(1);
    expect((await h.ok('network-list', 'guest')).stdout).toMatch(/\n0\s+1\s+\S+\s+0\s+6\s/);
    expect(JSON.parse((await h.ok('list', '-l', 'guest')).stdout)[0].config.nics[0].backend_domname).toBe('drv');
  });

  it('block devices: attach, list, xenstore, detach; hand-made drift by detach', async () => {
    const h = newHost();
    await h.ok('create', pv('g', { disk: ['format=raw,vdev=xvda,access=rw,target=/srv/g.img'] }));
    await h.ok('block-attach', 'g', 'format=raw,vdev=xvdb,access=ro,target=/dev/vg/data');
    expect((await h.ok('block-list', 'g')).stdout).toMatch(/^51728 0 {3}1 {6}4 /m);
    expect(await read(h, '/local/domain/0/backend/vbd/1/51728/mode')).toBe('r');
    expect(await read(h, '/local/domain/0/backend/vbd/1/51712/node')).toBe('/dev/loop0');
    expect((await h.xl('block-attach', 'g', 'vdev=xvdb,target=/x')).code).toBe(1);
    await h.ok('block-detach', 'g', 'xvdb');
    expect((await h.xl('block-detach', 'g', 'xvdb')).stderr).toBe('Error: Device xvdb not connected.\n');
    await h.ok('network-attach', 'g', 'mac=00:16:3e:aa:bb:cc');
    await h.ok('network-detach', 'g', '00:16:3e:aa:bb:cc');
    expect(checkState(h.state())).toEqual([]);
  });

  it('xenstore-ls without -f indents; xenstore-list lists children', async () => {
    const h = newHost();
    await h.ok('create', pv('g', { vif: ['bridge=xenbr0'] }));
    expect((await h.ok('xenstore-ls', '/local/domain/0/backend')).stdout).toMatch(
      /^vif = ""\n 1 = ""\n {2}0 = ""\n {3}frontend = "\/local\/domain\/1\/device\/vif\/0"\n/,
    );
    expect((await h.ok('xenstore-list', '/local/domain/1/device/vif/0')).stdout).toContain('backend-id\n');
    expect((await h.xl('xenstore-list', '/nope')).code).toBe(1);
  });
});

describe('faults and environment', () => {
  it('fail-once fails one run of a subcommand with the given code and message', async () => {
    const h = newHost();
    await h.ok('sim-fault', 'fail-once', 'network-attach', '1', 'libxl: error: boom');
    await h.ok('create', pv('g'));
    expect(await h.xl('network-attach', 'g')).toEqual({ code: 1, stdout: '', stderr: 'libxl: error: boom\n' });
    await h.ok('network-attach', 'g');
    await h.ok('sim-fault', 'fail-once', 'list');
    await h.ok('sim-fault', 'clear');
    await h.ok('list');
    await h.ok('sim-fault', 'fail-once', 'create');
    expect((await h.xl('create', pv('z'))).code).toBe(3);
  });

  it('hang delays the subcommand without holding the lock', async () => {
    const h = newHost();
    await h.ok('sim-fault', 'hang', 'info', '0.4');
    const t0 = Date.now();
    const slow = h.ok('info');
    await h.ok('create', pv('g'));
    expect(Date.now() - t0).toBeLessThan(350);
    await slow;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
  });

  it('sim-state prints the state; missing XEN_SIM_STATE is a clear error; bad inventory lists problems', async () => {
    const h = newHost();
    expect(JSON.parse((await h.ok('sim-state')).stdout).domains[0].name).toBe('Domain-0');
    const { runXlSim } = await import('../../../provider/xen/sim/cli');
    let err = '';
    expect(await runXlSim(['list'], {}, { stdout: () => undefined, stderr: (t) => (err += t) })).toBe(1);
    expect(err).toMatch(/XEN_SIM_STATE is not set/);
    const bad = join(cfgDir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ xen_version: '4.17.7' }));
    const r = await newHost({}, { XEN_SIM_INVENTORY: bad }).xl('list');
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining('$.memory_mib: required')]);
    expect((await h.xl('frobnicate')).stderr).toBe('command not implemented\n');
  });
});
