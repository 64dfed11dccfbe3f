import fc from 'fast-check';
import {
  parseDiskSpec,
  parsePciSpec,
  parseVifRate,
  parseVifSpec,
  vdevToDevid,
} from '../../../provider/xen/sim/devspec';
import { normalizeBdf, validateInventory, DEMO_INVENTORY, InventoryError } from '../../../provider/xen/sim/inventory';
import { CfgSyntaxError, parseXlCfg } from '../../../provider/xen/sim/xlcfg';
import { yajlFormat } from '../../../provider/xen/sim/yajl';

describe('xl.cfg parser', () => {
  it('reads settings, comments, both quotes, escapes, numbers, multi-line lists and ;', () => {
    const cfg = parseXlCfg(
      `# comment\nname = "a b" # trailing\nmemory=256; vcpus = 0x2\nextra = 'it\\'s'\nvif = [ 'mac=00:16:3e:00:00:01',\n  "bridge=xenbr0", # c\n ]\nk = "tab\\there"\n`,
    );
    expect(cfg.get('name')).toMatchObject({ kind: 'atom', text: 'a b' });
    expect(cfg.get('memory')).toMatchObject({ text: '256' });
    expect(cfg.get('vcpus')).toMatchObject({ text: '0x2' });
    expect(cfg.get('vif')).toMatchObject({
      kind: 'list',
      items: [{ text: 'mac=00:16:3e:00:00:01' }, { text: 'bridge=xenbr0' }],
    });
    expect(cfg.get('k')).toMatchObject({ text: 'tab\there' });
    expect(cfg.get('extra')).toMatchObject({ text: "it's" });
  });

  it('rejects what libxlu rejects, with its message shape', () => {
    expect(() => parseXlCfg('name = \n', 'f.cfg')).toThrow(CfgSyntaxError);
    expect(() => parseXlCfg('name = "x" "y"\n', 'f.cfg')).toThrow(
      /^f\.cfg:1: config parsing error near `y': syntax error$/,
    );
    expect(() => parseXlCfg('vif = [ "a" "b" ]\n')).toThrow(CfgSyntaxError);
    expect(() => parseXlCfg('name = "unterminated\n')).toThrow(/unterminated/);
  });

  it('round-trips any string a careful renderer quotes (property)', () => {
    const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/),
          fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 4 })),
          { maxKeys: 6 },
        ),
        (settings) => {
          const text = Object.entries(settings)
            .map(([k, v]) => `${k} = ${Array.isArray(v) ? `[ ${v.map(quote).join(',\n  ')} ]` : quote(v)}`)
            .join('\n');
          const cfg = parseXlCfg(text);
          for (const [k, v] of Object.entries(settings)) {
            const got = cfg.get(k)!;
            if (Array.isArray(v)) expect(got.kind === 'list' ? got.items.map((a) => a.text) : null).toEqual(v);
            else expect(got.kind === 'atom' ? got.text : null).toBe(v);
          }
        },
      ),
    );
  });
});

describe('device specs', () => {
  it('vif: keys of xl-network-configuration(5)', () => {
    expect(parseVifSpec('backend=drv,mac=0:16:3e:0:0:1,bridge=xenbr0,mtu=9000,rate=10Mb/s')).toEqual({
      backend: 'drv',
      mac: '00:16:3e:00:00:01',
      bridge: 'xenbr0',
      mtu: 9000,
      rate: '10Mb/s',
    });
    expect(() => parseVifSpec('mac=zz')).toThrow("Invalid parameter `mac'.");
  });

  it('disk: keyed, positional and legacy prefixes', () => {
    expect(parseDiskSpec('format=raw,vdev=xvda,access=rw,target=/var/lib/x,y.img')).toMatchObject({
      target: '/var/lib/x,y.img',
      vdev: 'xvda',
      format: 'raw',
      access: 'rw',
    });
    expect(parseDiskSpec('phy:/dev/vg/g,xvdb,r')).toMatchObject({
      target: '/dev/vg/g',
      vdev: 'xvdb',
      access: 'ro',
      backendtype: 'phy',
    });
    expect(parseDiskSpec('/img.qcow2,qcow2,hda,w')).toMatchObject({
      target: '/img.qcow2',
      format: 'qcow2',
      vdev: 'hda',
    });
    expect(parseDiskSpec('tap:qcow2:/i.q,xvdc:cdrom,r')).toMatchObject({
      target: '/i.q',
      format: 'qcow2',
      vdev: 'xvdc',
      cdrom: true,
      backendtype: 'tap',
    });
    expect(parseDiskSpec('vdev=xvda,backend=stor,target=/dev/sdb')).toMatchObject({
      backend: 'stor',
      target: '/dev/sdb',
    });
    expect(() => parseDiskSpec('target=/x')).toThrow(/no vdev/);
  });

  it('vdev numbers as libxl computes them', () => {
    expect(vdevToDevid('xvda')).toBe(51712);
    expect(vdevToDevid('xvdb')).toBe(51728);
    expect(vdevToDevid('xvda1')).toBe(51713);
    expect(vdevToDevid('hda')).toBe(768);
    expect(vdevToDevid('hdc')).toBe(5632);
    expect(vdevToDevid('sda')).toBe(2048);
    expect(vdevToDevid('xvdq')).toBe((1 << 28) | (16 << 8));
    expect(vdevToDevid('nope')).toBeNull();
  });

  it('pci: BDF, vslot and options', () => {
    expect(parsePciSpec('03:00.0@5,permissive=1,rdm_policy=relaxed')).toEqual({
      bdf: '0000:03:00.0',
      vslot: 5,
      permissive: true,
      rdm_policy: 'relaxed',
    });
    expect(() => parsePciSpec('03:00.0,bogus=1')).toThrow();
  });

  it('normalizeBdf is idempotent and canonical (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xff }),
        fc.integer({ min: 0, max: 0x1f }),
        fc.integer({ min: 0, max: 7 }),
        (d, b, s, f) => {
          const text = `${d.toString(16)}:${b.toString(16)}:${s.toString(16)}.${f}`;
          const n = normalizeBdf(text)!;
          expect(n).toMatch(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/);
          expect(normalizeBdf(n)).toBe(n);
          expect(parseInt(n.slice(5, 7), 16)).toBe(b);
        },
      ),
    );
    expect(normalizeBdf('03:20.0')).toBeNull();
  });

  it('vif rate in libxlu_vif.c uint64 arithmetic', () => {
    expect(parseVifRate('10Mb/s')).toEqual({ bytesPerInterval: 62500n, intervalUsecs: 50000 });
    expect(parseVifRate('1MB/s@20ms')).toEqual({ bytesPerInterval: 20000n, intervalUsecs: 20000 });
    // bits are divided by 8 before scaling: 9 b/s is 1 B/s, so 8 bytes per 8 s
    expect(parseVifRate('9b/s@8s')).toEqual({ bytesPerInterval: 8n, intervalUsecs: 8000000 });
    // libxlu multiplies bytes/s by the interval in microseconds before dividing: this overflows uint64 and is refused.
    expect(() => parseVifRate('3327GB/s@476s')).toThrow("rate overflow in `3327GB/s@476s'");
    expect(parseVifRate('4GB/s@4s')).toEqual({ bytesPerInterval: 16000000000n, intervalUsecs: 4000000 });
    expect(parseVifRate('4294967295GB/s@1us')).toEqual({ bytesPerInterval: 4294967295000n, intervalUsecs: 1 });
    expect(parseVifRate('5MB/s@250us').intervalUsecs).toBe(250);
    expect(() => parseVifRate('10TB/s', 'g.cfg')).toThrow(
      "g.cfg: config parsing error in vif: invalid rate in `10TB/s'",
    );
    expect(() => parseVifRate('1MB/s@5000s')).toThrow('replenishment interval overflow');
    expect(() => parseVifSpec('rate=0MB/s')).toThrow('rate overflow');
  });
});

describe('yajl layout', () => {
  it('matches libxl: empty containers span a blank line', () => {
    expect(yajlFormat({ a: {}, b: [1], c: [] })).toBe(
      '{\n    "a": {\n\n    },\n    "b": [\n        1\n    ],\n    "c": [\n\n    ]\n}',
    );
  });
  it('is JSON (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(JSON.parse(yajlFormat(v as never))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });
});

describe('inventory validation', () => {
  it('accepts the demo host and fills defaults', () => {
    const inv = validateInventory({
      xen_version: '4.17.7',
      memory_mib: 4096,
      cpus: 2,
      iommu: 'none',
      flask: { mode: 'disabled' },
      dom0: { memory_mib: 1024 },
    });
    expect(inv).toMatchObject({
      xen_reserved_mib: 0,
      pci: [],
      firmware_dir: '/usr/lib/xen-4.17/boot',
      devd_autostart: true,
    });
    expect(validateInventory(JSON.parse(JSON.stringify(DEMO_INVENTORY)))).toEqual(DEMO_INVENTORY);
  });
  it('lists every problem with its path', () => {
    let err: InventoryError | undefined;
    try {
      validateInventory(
        {
          xen_version: 'x',
          memory_mib: 4096,
          cpus: 0,
          iommu: 'maybe',
          flask: { mode: 'on' },
          dom0: { memory_mib: 1 },
          pci: [{ bdf: 'zz' }],
          typo: 1,
        },
        'host.json',
      );
    } catch (e) {
      err = e as InventoryError;
    }
    expect(err).toBeInstanceOf(InventoryError);
    expect(err!.problems).toEqual(
      expect.arrayContaining([
        '$.typo: unknown field',
        '$.cpus: must be >= 1',
        '$.iommu: must be one of none, present, interrupt_remapping',
        '$.flask.mode: must be one of disabled, permissive, enforcing',
        '$.pci[0].bdf: expected a PCI address like 0000:03:00.0',
        '$.pci[0].vendor: required',
      ]),
    );
    expect(err!.message).toMatch(/^invalid host inventory host\.json:/);
  });
  it('the JSON Schema and the validator know the same fields', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const schema = require('../../../provider/xen/sim/inventory.schema.json') as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(schema.properties).sort()).toEqual(
      [...Object.keys(DEMO_INVENTORY), '$schema', 'xen_commandline'].sort(),
    );
    expect(() => validateInventory({ ...DEMO_INVENTORY, [schema.required[0]]: undefined })).toThrow(InventoryError);
  });
});
