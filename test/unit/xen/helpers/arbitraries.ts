// fast-check generators of valid DomainSpecs (shared by the renderer property test and the simulator round trip).
import fc from 'fast-check';
import type { DiskSpec, DomainSpec, PciSpec, VifSpec } from '../../../../provider/xen/model';
import { normalizeBdf, parseRate } from '../../../../provider/xen/validate';

const ident = fc.stringMatching(/^[a-z][a-z0-9_-]{0,14}$/);
const path = fc
  .array(fc.stringMatching(/^[A-Za-z0-9_+@-][A-Za-z0-9._+@-]{0,10}$/), { minLength: 1, maxLength: 4 })
  .map((s) => `/${s.join('/')}`);
const label = fc
  .tuple(ident, ident, ident)
  .map(([a, b, c]) => `${a.replace(/-/g, '_')}:${b.replace(/-/g, '_')}:${c.replace(/-/g, '_')}`);
const mac = fc
  .array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 })
  .map((b) => b.map((x, i) => (i === 0 ? x & 0xfe : x).toString(16).padStart(2, '0')).join(':'));
export const vifArb: fc.Arbitrary<VifSpec> = fc.record(
  {
    backend: ident,
    mac,
    bridge: ident,
    ip: fc.ipV4(),
    script: fc.constantFrom('vif-bridge', 'vif-route', '/etc/xen/scripts/vif-nat'),
    rate: fc
      .tuple(
        fc.integer({ min: 1, max: 9999 }),
        fc.constantFrom('', 'K', 'M', 'G'),
        fc.constantFrom('B', 'b'),
        fc.option(fc.tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom('s', 'ms', 'us')), { nil: undefined }),
      )
      .map(([n, u, b, iv]) => `${n}${u}${b}/s${iv ? `@${iv[0]}${iv[1]}` : ''}`)
      .filter((r) => (parseRate(r)?.bytesPerInterval ?? 0) > 0),
    model: fc.constantFrom('e1000', 'rtl8139'),
    vifname: ident,
    mtu: fc.integer({ min: 68, max: 9000 }),
  },
  { requiredKeys: ['backend'] },
);
export const diskArb: fc.Arbitrary<DiskSpec> = fc.record(
  {
    backend: ident,
    target: path,
    vdev: fc.integer({ min: 0, max: 25 }).map((i) => `xvd${String.fromCharCode(97 + i)}`),
    format: fc.constantFrom('raw', 'qcow2', 'vhd', 'qed', 'qcow'),
    access: fc.constantFrom('rw', 'ro'),
    backendtype: fc.constantFrom('phy', 'qdisk', 'tap'),
    script: fc.constantFrom('block', '/etc/xen/scripts/block-iscsi'),
  },
  { requiredKeys: ['backend', 'target', 'vdev'] },
) as fc.Arbitrary<DiskSpec>;
export const pciArb: fc.Arbitrary<PciSpec> = fc.record(
  {
    bdf: fc
      .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 7 }))
      .map(([b, s, f]) => `${b.toString(16).padStart(2, '0')}:${s.toString(16).padStart(2, '0')}.${f}`),
    permissive: fc.boolean(),
    msitranslate: fc.boolean(),
    seize: fc.boolean(),
    power_mgmt: fc.boolean(),
    rdm_policy: fc.constantFrom('strict', 'relaxed'),
  },
  { requiredKeys: ['bdf'] },
) as fc.Arbitrary<PciSpec>;
export const specArb: fc.Arbitrary<DomainSpec> = fc
  .record(
    {
      name: ident,
      type: fc.constantFrom('pv', 'pvh'),
      memory: fc.integer({ min: 16, max: 65536 }),
      vcpus: fc.integer({ min: 1, max: 64 }),
      kernel: path,
      ramdisk: path,
      cmdline: fc.stringMatching(/^[\x20-\x21\x23-\x5b\x5d-\x7e]{0,200}$/),
      driverDomain: fc.boolean(),
      seclabel: label,
      initSeclabel: label,
      onPoweroff: fc.constantFrom('destroy', 'restart', 'preserve'),
      onCrash: fc.constantFrom('destroy', 'coredump-destroy', 'rename-restart'),
      vifs: fc.array(vifArb, { maxLength: 3 }),
      disks: fc.uniqueArray(diskArb, { maxLength: 3, selector: (d) => d.vdev }),
      pci: fc.uniqueArray(pciArb, { maxLength: 3, selector: (p) => normalizeBdf(p.bdf) }),
    },
    { requiredKeys: ['name', 'type', 'memory', 'vcpus', 'kernel'] },
  )
  .map((s) => {
    // init_seclabel alone is refused by validation (see validateDomainSpec).
    if (s.initSeclabel !== undefined && s.seclabel === undefined) delete s.initSeclabel;
    return s;
  }) as fc.Arbitrary<DomainSpec>;
