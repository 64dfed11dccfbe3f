import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  SxpOutputError,
  XlOutputError,
  mapXlFailure,
  NoSuchDomainError,
  DomainExistsError,
  DeviceNotAssignableError,
  NoSuchDeviceError,
  NotEnoughMemoryError,
  MissingFileError,
  XlFailed,
} from '../../../provider/xen/errors';
import {
  defbool,
  parseBlockList,
  parseCreateDryRun,
  parseDomid,
  parseGetenforce,
  parseNetworkList,
  parsePciAssignableList,
  parsePciList,
  parseXenstoreLs,
  parseXlInfo,
  parseXlList,
  parseXlListLong,
  interruptRemappingFromDmesg,
} from '../../../provider/xen/parse';

const FIX = '/work/shared/fixtures/xl-4.17';
const read = (f: string) => readFileSync(path.join(FIX, f), 'utf8');
interface Meta {
  argv: string[];
  exit_code: number;
  stderr: string;
  stdout_file: string;
}
const meta = (name: string): Meta => JSON.parse(read(`${name}.meta`));

describe('xl list -l', () => {
  test('all: dom0 + driver domain + client with every device kind', () => {
    const doms = parseXlListLong(read('xl-list-l.all.json'));
    expect(doms.map((d) => [d.name, d.domid])).toEqual([
      ['Domain-0', 0],
      ['drv', 1],
      ['client', 3],
    ]);
    const [dom0, drv, client] = doms;
    expect(dom0).toMatchObject({
      type: 'pv',
      memory: 1024,
      maxmem: 1024,
      driverDomain: false,
      uuid: undefined,
      nics: [],
      disks: [],
    });
    expect(drv).toMatchObject({
      type: 'pv',
      memory: 384,
      maxmem: 384,
      vcpus: 1,
      maxvcpus: 1,
      driverDomain: true,
      kernel: '/boot/vmlinuz',
      ramdisk: '/boot/guest.cpio.gz',
      cmdline: 'console=hvc0 xenlab.role=driver iommu=soft',
      uuid: 'db3a0d06-db78-4f20-ba49-bfbd0eff9f92',
      onPoweroff: 'destroy',
      onReboot: 'restart',
      onCrash: 'destroy',
    });
    // Only dev=5 is printed: domain/bus/func are 0 and omitted as defaults.
    expect(drv.pcidevs).toEqual([
      {
        bdf: '0000:00:05.0',
        permissive: false,
        msitranslate: false,
        seize: false,
        power_mgmt: false,
        rdm_policy: 'strict',
      },
    ]);
    expect(client.nics).toEqual([
      expect.objectContaining({
        devid: 0,
        backendDomname: 'drv',
        mac: '00:16:3e:00:00:01',
        bridge: 'xenbr0',
        nictype: 'vif',
        rate: undefined,
      }),
      expect.objectContaining({ devid: 1, backendDomname: 'drv', mac: '00:16:3e:00:00:02', bridge: 'xenbr0' }),
    ]);
    expect(client.disks).toEqual([
      {
        vdev: 'xvda',
        target: '/var/lib/xenlab/disk0.img',
        format: 'raw',
        access: 'rw',
        backendDomname: undefined,
        backendDomid: undefined,
        backendtype: undefined,
        script: undefined,
      },
    ]);
    expect(client.raw).toHaveProperty('c_info.name', 'client');
  });

  test.each(['client', 'drv', 'pvhclient', 'dom0'])('%s fixture parses and matches its meta argv', (n) => {
    const m = meta(`xl-list-l.${n}`);
    expect(m.exit_code).toBe(0);
    const doms = parseXlListLong(read(m.stdout_file));
    expect(doms.length).toBeGreaterThan(0);
    if (n === 'pvhclient')
      expect(doms[0]).toMatchObject({
        type: 'pvh',
        domid: 9,
        nics: [expect.objectContaining({ mac: '00:16:3e:00:00:03' })],
      });
  });

  test('refuses sxp output with a message naming xl.conf', () => {
    const sxp = '(domain\n    (domid 0)\n    (create_info)\n)\n';
    expect(() => parseXlListLong(sxp)).toThrow(SxpOutputError);
    expect(() => parseXlListLong(sxp)).toThrow(/S-expressions/);
    try {
      parseXlListLong(sxp);
    } catch (e) {
      expect((e as SxpOutputError).hint).toMatch(/output_format="json"/);
    }
  });

  test('rejects JSON of the wrong shape with XlOutputError', () => {
    expect(() => parseXlListLong('{}')).toThrow(XlOutputError);
    expect(() => parseXlListLong('[{"domid": 1}]')).toThrow(XlOutputError);
    expect(() => parseXlListLong('[{"config": {"c_info": {"name": "x"}}}]')).toThrow(/domid/);
    expect(() => parseXlListLong('')).toThrow(/empty/);
  });

  test('defbools: True / False / <default>', () => {
    expect([defbool('True'), defbool('False'), defbool('<default>'), defbool(undefined)]).toEqual([
      true,
      false,
      undefined,
      undefined,
    ]);
    const json = JSON.stringify([
      { domid: 4, config: { c_info: { name: 'x', type: 'pv', driver_domain: '<default>' }, b_info: { kernel: '/k' } } },
    ]);
    expect(parseXlListLong(json)[0].driverDomain).toBe(false);
  });

  test('property: random text never throws anything but XlOutputError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.uint8Array().map((b) => Buffer.from(b).toString('latin1')),
        ),
        (s) => {
          try {
            parseXlListLong(s);
          } catch (e) {
            if (!(e instanceof XlOutputError)) throw e;
          }
          try {
            parseCreateDryRun(s);
          } catch (e) {
            if (!(e instanceof XlOutputError)) throw e;
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test('property: JSON of arbitrary shape inside the array never escapes as a TypeError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ domid: fc.oneof(fc.nat(), fc.string()), config: fc.jsonValue() }, { requiredKeys: [] })),
        (arr) => {
          try {
            parseXlListLong(JSON.stringify(arr));
          } catch (e) {
            if (!(e instanceof XlOutputError)) throw e;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('xl create -n', () => {
  test('client: nics, disks, kernel', () => {
    const c = parseCreateDryRun(read('xl-create-n.client.json'));
    expect(c).toMatchObject({
      name: 'client',
      type: 'pv',
      memory: 256,
      maxmem: 256,
      vcpus: 1,
      cmdline: 'console=hvc0 xenlab.role=client',
    });
    expect(c.disks[0]).toMatchObject({ vdev: 'xvda', access: 'rw', format: 'raw' });
  });
  test('labelled: init_seclabel goes to c_info.ssid_label, seclabel to exec_ssid_label', () => {
    const c = parseCreateDryRun(read('xl-create-n.labelled.json'));
    expect(c).toMatchObject({
      seclabel: 'system_u:system_r:domU_t',
      initSeclabel: 'system_u:system_r:domU_t_building',
      ssidLabel: 'system_u:system_r:domU_t_building',
      execSsidLabel: 'system_u:system_r:domU_t',
    });
  });
  test('hvm-stubdom: device model in a stub domain with its label', () => {
    const c = parseCreateDryRun(read('xl-create-n.hvm-stubdom.json'));
    expect(c).toMatchObject({
      type: 'hvm',
      memory: 128,
      deviceModel: { stubdomain: true, seclabel: 'system_u:system_r:dm_dom_t' },
    });
  });
  test('drv: driver domain with PCI', () => {
    const c = parseCreateDryRun(read('xl-create-n.drv.json'));
    expect(c.driverDomain).toBe(true);
    expect(c.pcidevs[0].bdf).toBe('0000:00:05.0');
  });
  test('pvh', () => {
    expect(parseCreateDryRun(read('xl-create-n.pvh.json'))).toMatchObject({ type: 'pvh', name: 'pvhclient' });
  });
  test('pvgrub kernel path becomes firmware', () => {
    const c = parseCreateDryRun(
      JSON.stringify({ c_info: { type: 'pv', name: 'g' }, b_info: { kernel: '/usr/lib/xen-4.17/boot/pvgrub64.bin' } }),
    );
    expect(c.firmware).toBe('pvgrub64');
    expect(c.kernel).toBeUndefined();
  });
});

describe('xl list (plain)', () => {
  test.each(['xl-list.all', 'xl-list.dom0', 'xl-list.after-teardown', 'xl-list-v.all', 'xl-list-Z.labelled'])(
    '%s',
    (n) => {
      const rows = parseXlList(read(meta(n).stdout_file));
      expect(rows[0]).toMatchObject({
        name: 'Domain-0',
        domid: 0,
        memory: 1024,
        vcpus: 2,
        state: { running: true, blocked: false },
      });
    },
  );
  test('state flags', () => {
    const rows = parseXlList(read('xl-list.all.txt'));
    expect(rows.find((r) => r.name === 'client')).toMatchObject({
      domid: 3,
      memory: 256,
      stateText: '-b----',
      state: { running: false, blocked: true, paused: false, shutdown: false, crashed: false, dying: false },
    });
  });
  test('missing header and bad rows are typed errors', () => {
    expect(() => parseXlList('garbage')).toThrow(XlOutputError);
    expect(() =>
      parseXlList('Name                                        ID   Mem VCPUs\tState\tTime(s)\nx 1 2\n'),
    ).toThrow(XlOutputError);
  });
});

describe('xl info', () => {
  test('real 4.17 output', () => {
    const info = parseXlInfo(read('xl-info.txt'));
    expect(info).toMatchObject({
      xenVersion: '4.17.7',
      nrCpus: 2,
      totalMemory: 3071,
      freeMemory: 2013,
      iommu: true,
      interruptRemapping: undefined,
    });
    expect(info.virtCaps).toEqual([
      'pv',
      'hvm',
      'hvm_directio',
      'pv_directio',
      'hap',
      'iommu_hap_pt_share',
      'gnttab-v1',
      'gnttab-v2',
    ]);
  });
  test('no directio cap means no IOMMU; no-intremap on the command line means no interrupt remapping', () => {
    const txt = read('xl-info.txt')
      .replace('hvm_directio pv_directio ', '')
      .replace(/^xen_commandline.*$/m, 'xen_commandline        : iommu=no-intremap');
    const info = parseXlInfo(txt);
    expect(info.iommu).toBe(false);
    expect(info.interruptRemapping).toBe(false);
  });
  test('missing lines are typed errors', () => {
    expect(() => parseXlInfo('host : x\n')).toThrow(XlOutputError);
  });
  test('dmesg decides interrupt remapping', () => {
    expect(interruptRemappingFromDmesg('(XEN) Intel VT-d Interrupt Remapping enabled.')).toBe(true);
    expect(interruptRemappingFromDmesg('(XEN) AMD-Vi: Interrupt remapping enabled')).toBe(true);
    expect(interruptRemappingFromDmesg('(XEN) Interrupt remapping disabled')).toBe(false);
    expect(interruptRemappingFromDmesg('(XEN) nothing')).toBeUndefined();
  });
});

describe('xl getenforce', () => {
  test('real fixture: Flask XSM Disabled, exit 255', () => {
    const m = meta('xl-getenforce');
    expect(m.exit_code).toBe(255);
    expect(parseGetenforce(m.exit_code, read(m.stdout_file))).toBe('disabled');
  });
  test('exit codes map to modes', () => {
    expect(parseGetenforce(1, 'Enforcing\n')).toBe('enforcing');
    expect(parseGetenforce(0, 'Permissive\n')).toBe('permissive');
    expect(parseGetenforce(255, '')).toBe('disabled');
    expect(() => parseGetenforce(0, 'Something else')).toThrow(XlOutputError);
  });
});

describe('device listings', () => {
  test('pci-assignable-list: trailing space, empty', () => {
    expect(read('xl-pci-assignable-list.one.txt')).toBe('0000:00:05.0 \n');
    expect(parsePciAssignableList(read('xl-pci-assignable-list.one.txt'))).toEqual(['0000:00:05.0']);
    expect(parsePciAssignableList(read('xl-pci-assignable-list.empty.txt'))).toEqual([]);
    expect(parsePciAssignableList(read('xl-pci-assignable-list.assigned.txt'))).toEqual([]);
    expect(() => parsePciAssignableList('not-a-bdf\n')).toThrow(XlOutputError);
  });
  test('network-list', () => {
    expect(parseNetworkList(read('xl-network-list.client.txt'))).toEqual([
      {
        devid: 0,
        backendDomid: 1,
        mac: '00:16:3e:00:00:01',
        handle: 0,
        state: 4,
        evtch: -1,
        txRingRef: 520,
        rxRingRef: 521,
        backendPath: '/local/domain/1/backend/vif/3/0',
      },
      {
        devid: 1,
        backendDomid: 1,
        mac: '00:16:3e:00:00:02',
        handle: 1,
        state: 4,
        evtch: -1,
        txRingRef: 1036,
        rxRingRef: 1037,
        backendPath: '/local/domain/1/backend/vif/3/1',
      },
    ]);
    expect(parseNetworkList(read('xl-network-list.client.after-detach.txt'))).toHaveLength(1);
    expect(parseNetworkList(read('xl-network-list.pvhclient.txt'))[0].backendPath).toBe(
      '/local/domain/1/backend/vif/9/0',
    );
  });
  test('block-list', () => {
    expect(parseBlockList(read('xl-block-list.client.txt'))).toEqual([
      {
        vdev: 51712,
        backendDomid: 0,
        handle: 3,
        state: 4,
        evtch: 10,
        ringRef: 522,
        backendPath: '/local/domain/0/backend/vbd/3/51712',
      },
    ]);
  });
  test('pci-list', () => {
    expect(parsePciList(read('xl-pci-list.drv.txt'))).toEqual([{ vslot: '00.0', bdf: '0000:00:05.0' }]);
    expect(parsePciList(read('xl-pci-list.drv.running.txt'))).toEqual([{ vslot: '00.0', bdf: '0000:00:05.0' }]);
  });
  test('domid', () => {
    expect(parseDomid(read('xl-domid.client.txt'))).toBe(3);
    expect(parseDomid(read('xl-domid.drv.txt'))).toBe(1);
    expect(() => parseDomid('')).toThrow(XlOutputError);
  });
  test('property: the table parsers only ever throw XlOutputError', () => {
    const parsers = [
      parseNetworkList,
      parseBlockList,
      parsePciList,
      parsePciAssignableList,
      parseXlList,
      parseXlInfo,
      parseXenstoreLs,
      parseDomid,
    ];
    const headers = [
      '',
      'Idx BE Mac Addr.         handle state\n',
      'Vdev  BE  handle state\n',
      'Vdev Device\n',
      'Name ID Mem VCPUs State Time(s)\n',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...headers), fc.string(), (h, body) => {
        for (const p of parsers) {
          try {
            p(h + body);
          } catch (e) {
            if (!(e instanceof XlOutputError)) throw e;
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('xenstore', () => {
  test('xenstore-ls -f of a driver domain backend', () => {
    const m = parseXenstoreLs(read('xenstore-ls-f.drv-backend.txt'));
    expect(m['/local/domain/1/backend/vif/3/0/state']).toBe('4');
    expect(m['/local/domain/1/backend/vif/3/1/hotplug-status']).toBe('connected');
    expect(m['/local/domain/1/backend/vif']).toBe('');
  });
  test('xenstore-ls -f of dom0 vbd backend', () => {
    const m = parseXenstoreLs(read('xenstore-ls-f.dom0-backend-vbd.txt'));
    expect(m['/local/domain/0/backend/vbd/3/51712/params']).toBe('/var/lib/xenlab/disk0.img');
    expect(Object.keys(m)).toHaveLength(read('xenstore-ls-f.dom0-backend-vbd.txt').trim().split('\n').length);
  });
  test('escapes are undone', () => {
    expect(parseXenstoreLs('/a = "x\\x0ay \\"q\\""\n')['/a']).toBe('x\ny "q"');
  });
});

describe('error mapping from captured stderr', () => {
  const errs = readdirSync(FIX)
    .filter((f) => f.startsWith('err.xl-') && f.endsWith('.meta'))
    .map((f) => f.replace(/\.meta$/, ''));
  const expected: Record<string, new (...a: never[]) => XlFailed> = {
    'err.xl-create.duplicate-name': DomainExistsError,
    'err.xl-create.hvm-stubdom': MissingFileError,
    'err.xl-create.missing-kernel': MissingFileError,
    'err.xl-create.nosuch-backend': XlFailed,
    'err.xl-destroy.nosuchdomain': NoSuchDomainError,
    'err.xl-domid.nosuchdomain': NoSuchDomainError,
    'err.xl-list-l.nosuchdomain': NoSuchDomainError,
    'err.xl-mem-set.above-maxmem': NotEnoughMemoryError,
    'err.xl-network-attach.nosuchdomain': NoSuchDomainError,
    'err.xl-network-detach.nosuchdevid': NoSuchDeviceError,
    'err.xl-pci-assignable-add.nosuchbdf': NoSuchDeviceError,
    'err.xl-pci-attach.not-assignable': DeviceNotAssignableError,
    'err.xl-pci-list.nosuchdomain': NoSuchDomainError,
  };
  test('every captured error case has an expectation', () => {
    expect(errs.sort()).toEqual(Object.keys(expected).sort());
  });
  test.each(Object.entries(expected))('%s', (name, cls) => {
    const m = meta(name);
    const e = mapXlFailure({ argv: m.argv, exitCode: m.exit_code, stderr: m.stderr });
    expect(e).toBeInstanceOf(cls);
    expect(e.exitCode).toBe(m.exit_code);
    expect(e.argv).toEqual(m.argv);
    expect(e.hint.length).toBeGreaterThan(20);
    expect(e.message).not.toMatch(/^exit 1$/);
  });
  test('specific messages name the thing', () => {
    const m = meta('err.xl-pci-attach.not-assignable');
    const e = mapXlFailure({
      argv: m.argv,
      exitCode: m.exit_code,
      stderr: m.stderr,
      domain: 'drv',
      device: '0000:00:1f.3',
    });
    expect(e.message).toContain('0000:00:1f.3');
    expect(e.hint).toContain('pci-assignable-add 0000:00:1f.3');
    const k = mapXlFailure({
      argv: ['xl', 'create', 'f'],
      exitCode: 3,
      stderr: meta('err.xl-create.missing-kernel').stderr,
    });
    expect(k.message).toContain('/boot/no-such-vmlinuz');
    const n = mapXlFailure({
      argv: ['xl', 'create', 'f'],
      exitCode: 3,
      stderr: meta('err.xl-create.nosuch-backend').stderr,
    });
    expect(n.hint).toMatch(/backend/);
  });
  test('cannot init xl context explains the missing hypervisor', () => {
    const e = mapXlFailure({ argv: ['xl', 'create', '-n', 'f'], exitCode: 1, stderr: 'xl: cannot init xl context\n' });
    expect(e.hint).toMatch(/sim:\/\//);
  });
});

test('xl list -Z: the label the hypervisor has, none for "-" (Xen without XSM), and a row that is no label is refused', () => {
  const head = 'Name                                        ID   Mem VCPUs\tState\tTime(s)   Security Label\n';
  const rows = parseXlList(
    head +
      'Domain-0                                     0  1024     2     r-----      98.9 system_u:system_r:dom0_t\n' +
      'netdd                                        1   384     1     -b----       5.0 system_u:system_r:domU_t\n' +
      'plain                                        2   256     1     -b----       1.0                -\n',
  );
  expect(rows.map((r) => [r.name, r.label])).toEqual([
    ['Domain-0', 'system_u:system_r:dom0_t'],
    ['netdd', 'system_u:system_r:domU_t'],
    ['plain', undefined],
  ]);
  expect(() =>
    parseXlList(head + 'web                                          3   256     1     -b----       1.0 $(id)\n'),
  ).toThrow(/unexpected security label/);
});
