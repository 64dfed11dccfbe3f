import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { compareSpecWithConfig } from '../../../provider/xen/compare';
import { InvalidSpecError } from '../../../provider/xen/errors';
import type { DiskSpec, DomainSpec, PciSpec, VifSpec } from '../../../provider/xen/model';
import { parseCreateDryRun } from '../../../provider/xen/parse';
import {
  networkAttachArgs,
  renderDiskSpec,
  renderPciSpec,
  renderVifSpec,
  renderXlConfig,
} from '../../../provider/xen/render';
import { normalizeBdf } from '../../../provider/xen/validate';
import { parseDiskSpec, parsePciSpec, parseVifSpec, parseXlCfg, type CfgValue } from './helpers/xlcfg';
import { specArb } from './helpers/arbitraries';
import { HOSTILE_STRINGS } from '../../support/hostile';

const FIX = '/work/shared/fixtures/xl-4.17';
const fixtureJson = (n: string) => parseCreateDryRun(readFileSync(`${FIX}/xl-create-n.${n}.json`, 'utf8'));

const clientSpec: DomainSpec = {
  name: 'client',
  type: 'pv',
  kernel: '/boot/vmlinuz',
  ramdisk: '/boot/guest.cpio.gz',
  cmdline: 'console=hvc0 xenlab.role=client',
  memory: 256,
  vcpus: 1,
  vifs: [{ backend: 'drv', mac: '00:16:3e:00:00:01', bridge: 'xenbr0' }],
  disks: [{ backend: 'Domain-0', format: 'raw', vdev: 'xvda', access: 'rw', target: '/var/lib/xenlab/disk0.img' }],
};

const drvSpec: DomainSpec = {
  name: 'drv',
  type: 'pv',
  kernel: '/boot/vmlinuz',
  ramdisk: '/boot/guest.cpio.gz',
  cmdline: 'console=hvc0 xenlab.role=driver iommu=soft',
  memory: 384,
  vcpus: 1,
  driverDomain: true,
  pci: [{ bdf: '00:05.0' }],
};

const labelledSpec: DomainSpec = {
  name: 'labelled',
  type: 'pv',
  kernel: '/boot/vmlinuz',
  ramdisk: '/boot/guest.cpio.gz',
  cmdline: 'console=hvc0 xenlab.role=client',
  memory: 128,
  vcpus: 1,
  seclabel: 'system_u:system_r:domU_t',
  initSeclabel: 'system_u:system_r:domU_t_building',
};

const hvmStubSpec: DomainSpec = {
  name: 'hvmstub',
  type: 'hvm',
  memory: 128,
  vcpus: 1,
  deviceModel: { stubdomain: true, seclabel: 'system_u:system_r:dm_dom_t' },
  vifs: [{ backend: 'drv', mac: '00:16:3e:00:00:04', bridge: 'xenbr0' }],
};

const pvhSpec: DomainSpec = {
  name: 'pvhclient',
  type: 'pvh',
  kernel: '/boot/vmlinuz',
  ramdisk: '/boot/guest.cpio.gz',
  cmdline: 'console=hvc0 xenlab.role=client',
  memory: 256,
  vcpus: 1,
  vifs: [{ backend: 'drv', mac: '00:16:3e:00:00:03', bridge: 'xenbr0' }],
};

describe('renderXlConfig', () => {
  test('client: explicit backend on every device, every key once', () => {
    const text = renderXlConfig(clientSpec);
    const cfg = parseXlCfg(text);
    expect([...cfg.keys()].sort()).toEqual(
      [
        'cmdline',
        'disk',
        'kernel',
        'maxmem',
        'maxvcpus',
        'memory',
        'name',
        'on_crash',
        'on_poweroff',
        'on_reboot',
        'ramdisk',
        'type',
        'vcpus',
        'vif',
      ].sort(),
    );
    expect(cfg.get('vif')).toEqual(['backend=drv,mac=00:16:3e:00:00:01,bridge=xenbr0']);
    expect(cfg.get('disk')).toEqual([
      'backend=Domain-0,format=raw,vdev=xvda,access=rw,target=/var/lib/xenlab/disk0.img',
    ]);
    expect(cfg.get('memory')).toBe(256);
  });

  test('driver domain, labels, stub domain, pvgrub', () => {
    expect(parseXlCfg(renderXlConfig(drvSpec)).get('driver_domain')).toBe(1);
    expect(parseXlCfg(renderXlConfig(drvSpec)).get('pci')).toEqual(['0000:00:05.0']);
    const l = parseXlCfg(renderXlConfig(labelledSpec));
    expect([l.get('seclabel'), l.get('init_seclabel')]).toEqual([
      'system_u:system_r:domU_t',
      'system_u:system_r:domU_t_building',
    ]);
    const h = parseXlCfg(
      renderXlConfig({
        ...hvmStubSpec,
        deviceModel: { stubdomain: true, seclabel: 'system_u:system_r:dm_dom_t', stubdomainMemory: 128 },
      }),
    );
    expect([
      h.get('device_model_stubdomain_override'),
      h.get('device_model_stubdomain_seclabel'),
      h.get('stubdomain_memory'),
    ]).toEqual([1, 'system_u:system_r:dm_dom_t', 128]);
    const g = parseXlCfg(renderXlConfig({ name: 'g', type: 'pv', memory: 256, vcpus: 1, firmware: 'pvgrub64' }));
    expect(g.get('firmware')).toBe('pvgrub64');
    expect(g.has('kernel')).toBe(false);
  });

  test("an HVM guest's dom0 disk leaves backend= out (libxl gives QEMU no drive with it); other disks name theirs", () => {
    const dom0 = { backend: 'Domain-0', target: '/srv/boot.img', vdev: 'hda', format: 'raw', access: 'rw' } as const;
    const stor = { ...dom0, backend: 'stor', vdev: 'hdb' };
    const hvm = parseXlCfg(renderXlConfig({ ...hvmStubSpec, deviceModel: undefined, disks: [dom0, stor] }));
    expect(hvm.get('disk')).toEqual([
      'format=raw,vdev=hda,access=rw,target=/srv/boot.img',
      'backend=stor,format=raw,vdev=hdb,access=rw,target=/srv/boot.img',
    ]);
    const pv = parseXlCfg(renderXlConfig({ ...clientSpec, disks: [{ ...dom0, vdev: 'xvda' }] }));
    expect(pv.get('disk')).toEqual(['backend=Domain-0,format=raw,vdev=xvda,access=rw,target=/srv/boot.img']);
  });

  test('pci options and rdm_policy', () => {
    expect(renderPciSpec({ bdf: '03:00.0', permissive: true, seize: false, rdm_policy: 'relaxed' })).toBe(
      '0000:03:00.0,permissive=1,seize=0,rdm_policy=relaxed',
    );
  });

  test.each([
    ['client', clientSpec],
    ['drv', drvSpec],
    ['labelled', labelledSpec],
    ['hvm-stubdom', hvmStubSpec],
    ['pvh', pvhSpec],
  ] as const)(
    '%s: the spec agrees with what real xl create -n parsed from the equivalent hand-written config',
    (fixture, spec) => {
      expect(compareSpecWithConfig(spec, fixtureJson(fixture))).toEqual([]);
    },
  );

  test('comparison reports what libxl understood differently', () => {
    const d = compareSpecWithConfig(
      { ...clientSpec, memory: 512, vifs: [{ backend: 'drv', bridge: 'xenbr1' }] },
      fixtureJson('client'),
    );
    expect(d).toEqual(
      expect.arrayContaining([
        { path: 'memory', wanted: 512, got: 256 },
        { path: 'vifs[0].bridge', wanted: 'xenbr1', got: 'xenbr0' },
      ]),
    );
  });

  test('invalid specs throw InvalidSpecError naming the field', () => {
    expect(() => renderXlConfig({ ...clientSpec, maxmem: 128 })).toThrow(/maxmem/);
    expect(() => renderXlConfig({ ...clientSpec, kernel: undefined })).toThrow(InvalidSpecError);
    expect(() => renderXlConfig({ ...hvmStubSpec, type: 'pv', kernel: '/k' })).toThrow(/device_model/);
    try {
      renderXlConfig({ ...clientSpec, vifs: [{ backend: 'drv', bridge: 'br,0' }] });
    } catch (e) {
      expect((e as InvalidSpecError).field).toBe('vifs[0].bridge');
    }
  });
});

// ---- injection corpus ----

const PAYLOADS = HOSTILE_STRINGS;

type Setter = {
  field: string;
  err?: string;
  set: (v: string) => DomainSpec;
  key: string;
  read: (cfg: Map<string, CfgValue>) => unknown;
};

const base: DomainSpec = {
  ...clientSpec,
  seclabel: 'system_u:system_r:domU_t',
  initSeclabel: 'system_u:system_r:domU_t_building',
  pci: [{ bdf: '0000:03:00.0', rdm_policy: 'strict' }],
  vifs: [
    {
      backend: 'drv',
      mac: '00:16:3e:00:00:01',
      bridge: 'xenbr0',
      ip: '10.0.0.2',
      script: 'vif-bridge',
      rate: '10Mb/s@20ms',
      model: 'e1000',
      vifname: 'vif-client',
    },
  ],
  disks: [
    {
      backend: 'Domain-0',
      format: 'raw',
      vdev: 'xvda',
      access: 'rw',
      target: '/var/lib/xen/disk.img',
      backendtype: 'phy',
      script: 'block',
    },
  ],
};
const hvmBase: DomainSpec = { ...hvmStubSpec, firmware: 'bios' };

function topLevel(field: keyof DomainSpec, key: string, b: DomainSpec = base): Setter {
  return { field: String(field), err: key, key, set: (v) => ({ ...b, [field]: v }), read: (c) => c.get(key) };
}
function vifField(f: keyof VifSpec): Setter {
  return {
    field: `vifs[0].${f}`,
    key: 'vif',
    set: (v) => ({ ...base, vifs: [{ ...base.vifs![0], [f]: v }] }),
    read: (c) => parseVifSpec((c.get('vif') as string[])[0]).get(f === 'vifname' ? 'vifname' : f),
  };
}
function diskField(f: keyof DiskSpec): Setter {
  return {
    field: `disks[0].${f}`,
    key: 'disk',
    set: (v) => ({ ...base, disks: [{ ...base.disks![0], [f]: v } as DiskSpec] }),
    read: (c) => parseDiskSpec((c.get('disk') as string[])[0]).get(f),
  };
}
function pciField(f: keyof PciSpec): Setter {
  return {
    field: `pci[0].${f}`,
    key: 'pci',
    set: (v) => ({ ...base, pci: [{ ...base.pci![0], [f]: v } as PciSpec] }),
    read: (c) => {
      const p = parsePciSpec((c.get('pci') as string[])[0]);
      return f === 'bdf' ? p.bdf : p.opts.get(f);
    },
  };
}

const SETTERS: Setter[] = [
  topLevel('name', 'name'),
  topLevel('kernel', 'kernel'),
  topLevel('ramdisk', 'ramdisk'),
  topLevel('cmdline', 'cmdline'),
  topLevel('uuid', 'uuid'),
  topLevel('seclabel', 'seclabel'),
  topLevel('initSeclabel', 'init_seclabel'),
  topLevel('bootloader', 'bootloader', { ...base, kernel: undefined }),
  topLevel('firmware', 'firmware', { ...base, kernel: undefined }),
  topLevel('firmware', 'firmware', hvmBase),
  topLevel('type', 'type'),
  topLevel('onPoweroff', 'on_poweroff'),
  topLevel('onReboot', 'on_reboot'),
  topLevel('onCrash', 'on_crash'),
  {
    field: 'device_model.seclabel',
    key: 'device_model_stubdomain_seclabel',
    set: (v) => ({ ...hvmBase, deviceModel: { stubdomain: true, seclabel: v } }),
    read: (c) => c.get('device_model_stubdomain_seclabel'),
  },
  ...(['backend', 'mac', 'bridge', 'ip', 'script', 'rate', 'model', 'vifname'] as const).map(vifField),
  ...(['backend', 'target', 'vdev', 'format', 'access', 'backendtype', 'script'] as const).map(diskField),
  ...(['bdf', 'rdm_policy'] as const).map(pciField),
  ...(['backend', 'uuid'] as const).map(vtpmField),
  {
    field: 'vnc.listen',
    key: 'vnclisten',
    set: (v) => ({ ...hvmBase, vnc: { enabled: true, listen: v } }),
    read: (c) => c.get('vnclisten'),
  },
  {
    field: 'vnc.password',
    key: 'vncpasswd',
    set: (v) => ({ ...hvmBase, vnc: { enabled: true, password: v } }),
    read: (c) => c.get('vncpasswd'),
  },
  {
    field: 'spice.host',
    key: 'spicehost',
    set: (v) => ({ ...hvmBase, spice: { port: 5900, host: v, disableTicketing: true } }),
    read: (c) => c.get('spicehost'),
  },
  {
    field: 'spice.password',
    key: 'spicepasswd',
    set: (v) => ({ ...hvmBase, spice: { port: 5900, password: v } }),
    read: (c) => c.get('spicepasswd'),
  },
];

function vtpmField(f: 'backend' | 'uuid'): Setter {
  return {
    field: `vtpms[0].${f}`,
    key: 'vtpm',
    set: (v) => ({ ...base, vtpms: [{ backend: 'web-vtpm', uuid: 'ac0a5b9e-cbe2-4c07-b43b-1d69e46fb839', [f]: v }] }),
    read: (c) =>
      new Map((c.get('vtpm') as string[])[0].split(',').map((kv) => kv.split('=') as [string, string])).get(f),
  };
}

describe('injection corpus: every string field, every payload, rejected or inert', () => {
  test(`${SETTERS.length} fields x ${PAYLOADS.length * 3} payloads`, () => {
    let rendered = 0;
    let rejected = 0;
    for (const s of SETTERS) {
      for (const payload of PAYLOADS.flatMap((p) => [p, `ok${p}`, `${p}ok`])) {
        const spec = s.set(payload);
        let text: string;
        try {
          text = renderXlConfig(spec);
        } catch (e) {
          if (!(e instanceof InvalidSpecError)) throw e;
          expect({ payload, field: e.field }).toEqual({ payload, field: s.err ?? s.field });
          rejected++;
          continue;
        }
        // Accepted: the file must have exactly the keys of the same spec with a harmless value, and the value must
        // read back byte for byte.
        rendered++;
        expect(text).not.toMatch(/[\\\0\r]/);
        expect(/[^\x20-\x7e\n]/.test(text)).toBe(false);
        const cfg = parseXlCfg(text);
        const keys = [...cfg.keys()].sort();
        const baseline = [
          ...parseXlCfg(renderXlConfig(s.set(safeValueFor(s.field, s.set(payload).type)))).keys(),
        ].sort();
        expect({ field: s.field, payload, keys }).toEqual({ field: s.field, payload, keys: baseline });
        expect({ field: s.field, payload, got: s.read(cfg) }).toEqual({
          field: s.field,
          payload,
          got: expectedReadBack(s.field, payload),
        });
      }
    }
    expect(rejected).toBeGreaterThan(0);
    expect(rendered).toBeGreaterThan(0);
  });

  test('device-spec helpers reject anything that could add a key', () => {
    for (const p of PAYLOADS) {
      for (const f of ['backend', 'bridge', 'ip', 'script', 'rate', 'model', 'vifname', 'mac'] as const) {
        try {
          const words = networkAttachArgs({ ...base.vifs![0], [f]: p });
          expect(words.map((w) => w.split('=')[0])).toEqual(
            networkAttachArgs(base.vifs![0]).map((w) => w.split('=')[0]),
          );
          expect(words.join(' ')).not.toMatch(/[,\n"]/);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidSpecError);
        }
      }
      try {
        const s = renderDiskSpec({ ...base.disks![0], target: `/ok${p}` });
        expect([...parseDiskSpec(s).keys()]).toEqual([
          'backend',
          'format',
          'vdev',
          'access',
          'backendtype',
          'script',
          'target',
        ]);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidSpecError);
      }
      try {
        const s = renderPciSpec({ bdf: p });
        expect(parsePciSpec(s).opts.size).toBe(0);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidSpecError);
      }
    }
  });
});

function safeValueFor(field: string, type?: string): string {
  const safe: Record<string, string> = {
    name: 'x',
    kernel: '/k',
    ramdisk: '/r',
    cmdline: 'c',
    uuid: '00000000-0000-0000-0000-000000000001',
    seclabel: 'a:b:c',
    initSeclabel: 'a:b:c',
    bootloader: 'pygrub',
    type: 'pv',
    onPoweroff: 'destroy',
    onReboot: 'restart',
    onCrash: 'destroy',
    'device_model.seclabel': 'a:b:c',
    'vifs[0].backend': 'd',
    'vifs[0].mac': '00:16:3e:00:00:09',
    'vifs[0].bridge': 'br0',
    'vifs[0].ip': '10.0.0.9',
    'vifs[0].script': 'vif-route',
    'vifs[0].rate': '1MB/s',
    'vifs[0].model': 'rtl8139',
    'vifs[0].vifname': 'v0',
    'disks[0].backend': 'd',
    'disks[0].target': '/t',
    'disks[0].vdev': 'xvdb',
    'disks[0].format': 'qcow2',
    'disks[0].access': 'ro',
    'disks[0].backendtype': 'qdisk',
    'disks[0].script': 'block',
    'pci[0].bdf': '0000:01:00.0',
    'pci[0].rdm_policy': 'relaxed',
    'vtpms[0].backend': 'v',
    'vtpms[0].uuid': '00000000-0000-0000-0000-000000000002',
    'vnc.listen': '::1',
    'vnc.password': 'p',
    'spice.host': '0.0.0.0',
    'spice.password': 'p',
  };
  if (field === 'firmware') return type === 'hvm' ? 'bios' : 'pvgrub64';
  return safe[field] ?? 'x';
}

/** What an accepted value reads back as: itself, except the normalizations the renderer documents. */
function expectedReadBack(field: string, v: string): string {
  if (field === 'pci[0].bdf') return normalizeBdf(v);
  if (field === 'uuid' || field === 'vifs[0].mac' || field === 'vtpms[0].uuid') return v.toLowerCase();
  return v;
}

test('a refused display password is never repeated in the error', () => {
  for (const payload of PAYLOADS.filter((p) => p.length > 2)) {
    for (const spec of [
      { ...hvmBase, vnc: { enabled: true, password: payload } },
      { ...hvmBase, spice: { port: 5900, password: payload } },
    ]) {
      try {
        renderXlConfig(spec);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidSpecError);
        expect((e as Error).message).not.toContain(payload);
      }
    }
  }
});

test('vTPM, iomem and display settings render as xl.cfg(5) spells them', () => {
  const text = renderXlConfig({
    ...hvmBase,
    vtpms: [{ backend: 'web-vtpm', uuid: 'AC0A5B9E-CBE2-4C07-B43B-1D69E46FB839' }],
    vnc: { enabled: true, listen: '127.0.0.1', display: 3, findUnused: false, password: 'pw' },
    spice: { port: 5901, host: '127.0.0.1', password: 'pw2' },
  });
  expect(text).toContain('vtpm = [ "backend=web-vtpm,uuid=ac0a5b9e-cbe2-4c07-b43b-1d69e46fb839" ]');
  expect(text).toMatch(/^vnc = 1\nvnclisten = "127.0.0.1"\nvncdisplay = 3\nvncunused = 0\nvncpasswd = "pw"$/m);
  expect(text).toMatch(
    /^spice = 1\nspicehost = "127.0.0.1"\nspiceport = 5901\nspicedisable_ticketing = 0\nspicepasswd = "pw2"$/m,
  );
  const mgr = renderXlConfig({ ...clientSpec, vifs: [], iomem: [{ start: 0xfed42, count: 1 }] });
  expect(mgr).toContain('iomem = [ "fed42,1" ]');
  // display settings are an HVM thing: refused elsewhere, by field
  expect(() => renderXlConfig({ ...clientSpec, vnc: { enabled: true } })).toThrow(/vnc/);
  expect(() => renderXlConfig({ ...hvmBase, spice: { port: 5900 } })).toThrow(/spice.password/);
  expect(() => renderXlConfig({ ...hvmBase, spice: { port: 5900, password: 'a,b' } })).toThrow(/comma/);
});

// ---- property: random valid specs render and re-read to the same values ----

function readBack(cfg: Map<string, CfgValue>): DomainSpec {
  const s = (k: string) => cfg.get(k) as string | undefined;
  const n = (k: string) => cfg.get(k) as number | undefined;
  const spec: DomainSpec = {
    name: s('name')!,
    type: s('type') as DomainSpec['type'],
    memory: n('memory')!,
    vcpus: n('vcpus')!,
  };
  const opt = <K extends keyof DomainSpec>(k: K, v: DomainSpec[K] | undefined) => {
    if (v !== undefined) spec[k] = v;
  };
  opt('kernel', s('kernel'));
  opt('ramdisk', s('ramdisk'));
  opt('cmdline', s('cmdline'));
  opt('driverDomain', n('driver_domain') === 1 ? true : undefined);
  opt('seclabel', s('seclabel'));
  opt('initSeclabel', s('init_seclabel'));
  opt('onPoweroff', s('on_poweroff') as DomainSpec['onPoweroff']);
  opt('onCrash', s('on_crash') as DomainSpec['onCrash']);
  opt(
    'vifs',
    ((cfg.get('vif') ?? []) as string[]).map((v) => {
      const m = parseVifSpec(v);
      const o: VifSpec = { backend: m.get('backend')! };
      for (const [k, val] of m)
        if (k !== 'backend') (o as unknown as Record<string, unknown>)[k] = k === 'mtu' ? Number(val) : val;
      return o;
    }),
  );
  opt(
    'disks',
    ((cfg.get('disk') ?? []) as string[]).map((v) => Object.fromEntries(parseDiskSpec(v)) as unknown as DiskSpec),
  );
  opt(
    'pci',
    ((cfg.get('pci') ?? []) as string[]).map((v) => {
      const p = parsePciSpec(v);
      const o: PciSpec = { bdf: p.bdf };
      for (const [k, val] of p.opts)
        (o as unknown as Record<string, unknown>)[k] = k === 'rdm_policy' ? val : val === '1';
      return o;
    }),
  );
  return spec;
}

test('property: random valid specs render to configs that re-read to the same values', () => {
  fc.assert(
    fc.property(specArb, (spec) => {
      const cfg = parseXlCfg(renderXlConfig(spec));
      const got = readBack(cfg);
      const want: DomainSpec = {
        ...spec,
        driverDomain: spec.driverDomain ? true : undefined,
        onPoweroff: spec.onPoweroff ?? 'destroy',
        onCrash: spec.onCrash ?? 'destroy',
        vifs: spec.vifs ?? [],
        pci: (spec.pci ?? []).map((p) => ({ ...p, bdf: normalizeBdf(p.bdf) })),
        disks: (spec.disks ?? []).map((d) => ({ ...d, format: d.format ?? 'raw', access: d.access ?? 'rw' })),
      };
      for (const k of Object.keys(want) as Array<keyof DomainSpec>) if (want[k] === undefined) delete want[k];
      expect(got).toEqual(want);
      expect(cfg.get('maxmem')).toBe(spec.memory);
      expect(cfg.get('on_reboot')).toBe('restart');
      for (const v of (cfg.get('vif') ?? []) as string[]) expect(v.startsWith('backend=')).toBe(true);
    }),
    { numRuns: 300 },
  );
});

test('renderVifSpec and networkAttachArgs agree', () => {
  const v = base.vifs![0];
  expect(renderVifSpec(v)).toBe(networkAttachArgs(v).join(','));
});
