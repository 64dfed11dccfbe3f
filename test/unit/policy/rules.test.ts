// Each posture rule on its own: a model that triggers it (with the subject and attribute path it must name) and a
// model that does not. A rule added to RULES without a case here fails the coverage test.

import fc from 'fast-check';
import { evaluate } from '../../../provider/policy/evaluate';
import type { HostModel, ModelObject } from '../../../provider/policy/model';
import { RULES } from '../../../provider/policy/rules';
import type { Path } from '../../../provider/framework/diagnostics';
import { noQuarantine } from '../../../provider/policy/sources';
import { DEMO_TYPES, assignable, disk, dom, flaskPolicy, host, model, netdd, pci, secureModel, vif } from './fixtures';

interface Case {
  positive: () => HostModel;
  /** subject and path of the (first) finding the positive model must produce. */
  expect: { subject: string; path: Path };
  negative: () => HostModel;
}

const stubHvm = (name: string, over = {}) =>
  dom(name, { type: 'hvm', deviceModel: { stubdomain: true, seclabel: 'system_u:system_r:dm_dom_t' }, ...over });

const VTPM_TYPES = new Set([...DEMO_TYPES, 'vtpmmgr_t', 'vtpm_t']);
const vtpmHost = () => host({ flaskTypes: VTPM_TYPES });
const manager = (name = 'vtpmmgr', over = {}) =>
  dom(name, { kind: 'vtpm_manager', resource: 'xen_vtpm_manager', seclabel: 'system_u:system_r:vtpmmgr_t', ...over });
const vtpmDom = (name: string, mgr = 'vtpmmgr', over = {}) =>
  dom(name, { kind: 'vtpm', resource: 'xen_vtpm', seclabel: 'system_u:system_r:vtpm_t', vtpmBackend: mgr, ...over });
const withVtpm = (name: string, backend: string) => dom(name, { vtpmBackend: backend });

const CASES: Record<string, Case> = {
  'vtpm-manager-not-isolated': {
    // a guest wired straight to the manager, skipping its own vTPM
    positive: () => model({ host: vtpmHost(), domains: [manager(), withVtpm('web', 'vtpmmgr')] }),
    expect: { subject: 'web', path: [{ attr: 'vtpm' }, { attr: 'backend' }] },
    negative: () => model({ host: vtpmHost(), domains: [manager(), vtpmDom('web-vtpm'), withVtpm('web', 'web-vtpm')] }),
  },
  'vtpm-shared': {
    positive: () =>
      model({ host: vtpmHost(), domains: [manager(), vtpmDom('one'), withVtpm('a', 'one'), withVtpm('b', 'one')] }),
    expect: { subject: 'a', path: [{ attr: 'vtpm' }, { attr: 'backend' }] },
    negative: () =>
      model({
        host: vtpmHost(),
        domains: [manager(), vtpmDom('va'), vtpmDom('vb'), withVtpm('a', 'va'), withVtpm('b', 'vb')],
      }),
  },
  'pci-passthrough-without-iommu': {
    positive: () => model({ host: host({ iommu: false }), domains: [netdd()] }),
    expect: { subject: 'netdd', path: [{ attr: 'pci' }, { index: 0 }, { attr: 'bdf' }] },
    negative: () => model({ host: host({ iommu: true }), domains: [netdd()] }),
  },
  'iommu-without-interrupt-remapping': {
    positive: () => model({ host: host({ interruptRemapping: false }), domains: [netdd()] }),
    expect: { subject: 'netdd', path: [{ attr: 'pci' }, { index: 0 }, { attr: 'bdf' }] },
    // unknown (xl dmesg rotated) is not "without"; and a host with no passthrough has nothing at stake.
    negative: () => model({ host: host({ interruptRemapping: undefined }), domains: [netdd(), dom('web')] }),
  },
  'pci-passthrough-without-quarantine': {
    positive: () => model({ host: host({ noQuarantine: true }), domains: [netdd()] }),
    expect: { subject: 'netdd', path: [{ attr: 'pci' }, { index: 0 }, { attr: 'bdf' }] },
    negative: () => model({ host: host({ noQuarantine: false }), domains: [netdd(), dom('web')] }),
  },
  'pci-device-shared': {
    positive: () => model({ domains: [netdd(), netdd('netdd2')] }),
    expect: { subject: 'netdd', path: [{ attr: 'pci' }, { index: 0 }, { attr: 'bdf' }] },
    negative: () => model({ domains: [netdd(), netdd('netdd2', { pci: [pci('0000:00:19.0')] })] }),
  },
  'pci-device-without-reset': {
    positive: () =>
      model({
        domains: [
          dom('stor', { kind: 'driver', class: 'storage', driverDomainFlag: true, pci: [pci('0000:00:1f.2')] }),
        ],
      }),
    expect: { subject: 'stor', path: [{ attr: 'pci' }, { index: 0 }, { attr: 'bdf' }] },
    negative: () => model({ domains: [netdd()], assignables: [assignable('0000:03:00.0')] }),
  },
  'pci-permissive': {
    positive: () => model({ domains: [netdd('netdd', { pci: [pci('0000:03:00.0', true)] })] }),
    expect: { subject: 'netdd', path: [{ attr: 'pci' }, { index: 0 }, { attr: 'permissive' }] },
    // required (and so not flagged) for a stub-domain HVM guest
    negative: () => model({ domains: [netdd(), stubHvm('gpu', { pci: [pci('0000:01:00.0', true)] })] }),
  },
  'stubdomain-passthrough-not-permissive': {
    positive: () => model({ domains: [stubHvm('gpu', { pci: [pci('0000:01:00.0')] })] }),
    expect: { subject: 'gpu', path: [{ attr: 'pci' }, { index: 0 }, { attr: 'permissive' }] },
    negative: () =>
      model({
        domains: [stubHvm('gpu', { pci: [pci('0000:01:00.0', true)] }), dom('pvgpu', { pci: [pci('0000:00:19.0')] })],
      }),
  },
  'guest-network-in-dom0': {
    positive: () => model({ domains: [netdd(), dom('web')], vifs: [vif('web', 'Domain-0', 0)] }),
    expect: { subject: 'web/vif0', path: [{ attr: 'backend' }] },
    // no driver domain and no assignable NIC: dom0 is the only way; a driver domain's own vif is not a guest's
    negative: () => model({ domains: [dom('web'), netdd('netdd', { pci: [] })], vifs: [vif('netdd', 'Domain-0', 0)] }),
  },
  'guest-disk-in-dom0': {
    positive: () =>
      model({
        domains: [
          dom('stor', { kind: 'driver', class: 'storage', driverDomainFlag: true, pci: [pci('0000:00:1f.2')] }),
          dom('web'),
        ],
        disks: [disk('web', 'Domain-0', 'xvdb')],
      }),
    expect: { subject: 'web/xvdb', path: [{ attr: 'backend' }] },
    negative: () => model({ domains: [dom('web')], disks: [disk('web', 'Domain-0', 'xvdb')] }),
  },
  'backend-not-driver-domain': {
    positive: () => model({ domains: [dom('web'), dom('other')], vifs: [vif('web', 'other', 1)] }),
    expect: { subject: 'web/vif1', path: [{ attr: 'backend' }] },
    negative: () =>
      model({ domains: [dom('web'), netdd()], vifs: [vif('web', 'netdd', 1), vif('web', 'Domain-0', 2)] }),
  },
  'driver-domain-without-device': {
    positive: () => model({ domains: [netdd('netdd', { pci: [] })] }),
    expect: { subject: 'netdd', path: [{ attr: 'pci' }] },
    // a pci block whose bdf is not known yet still counts as a device
    negative: () => model({ domains: [netdd('netdd', { pci: [pci(undefined)] })] }),
  },
  'hvm-device-model-in-dom0': {
    positive: () => model({ domains: [dom('win', { type: 'hvm' })] }),
    expect: { subject: 'win', path: [{ attr: 'type' }] },
    negative: () => model({ domains: [stubHvm('win'), dom('pvh', { type: 'pvh' })] }),
  },
  'bootloader-in-dom0': {
    positive: () => model({ domains: [dom('legacy', { bootloader: 'pygrub' })] }),
    expect: { subject: 'legacy', path: [{ attr: 'bootloader' }] },
    negative: () => model({ domains: [dom('modern', { firmware: 'pvgrub64' })] }),
  },
  'flask-label-ignored': {
    positive: () => model({ host: host({ flaskMode: 'disabled', flaskTypes: undefined }), domains: [dom('web')] }),
    expect: { subject: 'web', path: [{ attr: 'seclabel' }] },
    negative: () =>
      model({
        host: host({ flaskMode: 'disabled', flaskTypes: undefined }),
        domains: [dom('web', { seclabel: undefined })],
      }),
  },
  'flask-unknown-type': {
    positive: () => model({ domains: [dom('web', { seclabel: 'system_u:system_r:web_t' })] }),
    expect: { subject: 'web', path: [{ attr: 'seclabel' }] },
    // types unknown (real xl): skipped rather than guessed
    negative: () =>
      model({ host: host({ flaskTypes: undefined }), domains: [dom('web', { seclabel: 'system_u:system_r:web_t' })] }),
  },
  'flask-noiommu-device': {
    // Xen's example policy: use_device_noiommu(domU_t, nic_dev_t); a driver domain labelled domU_t given a NIC
    positive: () =>
      model({
        host: host({ iommu: false, flaskNoiommu: new Map([['domU_t', ['nic_dev_t']]]) }),
        domains: [netdd('netdd', { seclabel: 'system_u:system_r:domU_t' })],
      }),
    expect: { subject: 'netdd', path: [{ attr: 'seclabel' }] },
    // with an IOMMU the grant is never used
    negative: () =>
      model({
        host: host({ flaskNoiommu: new Map([['domU_t', ['nic_dev_t']]]) }),
        domains: [netdd('netdd', { seclabel: 'system_u:system_r:domU_t' })],
      }),
  },
  'flask-unlabelled-domain': {
    positive: () => model({ domains: [dom('web', { seclabel: undefined })] }),
    expect: { subject: 'web', path: [{ attr: 'seclabel' }] },
    negative: () =>
      model({
        host: host({ flaskMode: 'permissive' }),
        domains: [dom('web', { seclabel: undefined }), stubHvm('win')],
      }),
  },
  'flask-not-enforcing': {
    positive: () => model({ host: host({ flaskMode: 'permissive' }), domains: [dom('web')] }),
    expect: { subject: 'web', path: [{ attr: 'seclabel' }] },
    // a planned policy that makes FLASK enforcing settles it
    negative: () =>
      model({ host: host({ flaskMode: 'permissive' }), domains: [dom('web')], flaskPolicy: flaskPolicy(true) }),
  },
};

const findings = (m: HostModel, id: string, only?: ModelObject) =>
  evaluate(m, { policy: 'enforce', only, rules: RULES.filter((r) => r.id === id) });

test('every rule has a positive and a negative case, and rule ids are unique', () => {
  expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
  expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
});

describe.each(RULES.map((r) => [r.id, r] as const))('%s', (id, rule) => {
  const c = CASES[id];
  test('triggers, naming the subject and the attribute path', () => {
    const got = findings(c.positive(), id);
    expect(got.length).toBeGreaterThan(0);
    expect(got[0]).toMatchObject({ rule: id, severity: rule.severity, subject: c.expect.subject, path: c.expect.path });
    expect(got[0].message.length).toBeGreaterThan(10);
    expect(got[0].remedy.length).toBeGreaterThan(10);
  });
  test('does not trigger', () => {
    expect(findings(c.negative(), id)).toEqual([]);
  });
  test('is documented', () => {
    expect(rule.title).toMatch(/^[A-Z]/);
    expect(rule.why.length).toBeGreaterThan(60);
    expect(rule.example.bad).not.toEqual(rule.example.good);
  });
});

test('the secure demo configuration has no findings', () => {
  expect(evaluate(secureModel(), { policy: 'enforce' })).toEqual([]);
});

test('security_policy warn turns every error into a warning; enforce keeps the rule severity', () => {
  const m = model({ host: host({ iommu: false }), domains: [netdd()] });
  expect(evaluate(m, { policy: 'enforce' }).map((f) => f.severity)).toContain('error');
  expect(evaluate(m, { policy: 'warn' }).every((f) => f.severity === 'warning')).toBe(true);
});

test('guest-network-in-dom0 names the driver domain to use, or the assignable NIC when there is none', () => {
  const withDd = findings(
    model({ domains: [netdd(), dom('web')], vifs: [vif('web', 'Domain-0', 0)] }),
    'guest-network-in-dom0',
  );
  expect(withDd[0].remedy).toContain('"netdd"');
  const nicOnly = findings(
    model({
      host: host({
        pci: new Map([
          ['0000:03:00.0', { bdf: '0000:03:00.0', class: '0x020000', resetMethod: 'flr', assignable: true }],
        ]),
      }),
      domains: [dom('web')],
      vifs: [vif('web', 'Domain-0', 0)],
    }),
    'guest-network-in-dom0',
  );
  expect(nicOnly[0].remedy).toContain('0000:03:00.0');
});

// Property: asking for the findings about one object gives exactly the full evaluation's findings about it, so the
// plan-time check (which asks per resource) reports what the data source reports.
test('findings about one object equal the full evaluation filtered to it', () => {
  const name = fc.constantFrom('a', 'b', 'c', 'netdd', 'stor');
  const bdf = fc.constantFrom('0000:03:00.0', '0000:00:19.0', '0000:00:1f.2', '0000:01:00.0');
  const domArb = fc.record({
    name,
    kind: fc.constantFrom('guest', 'driver'),
    cls: fc.constantFrom('network', 'storage', 'other'),
    type: fc.constantFrom('pv', 'pvh', 'hvm'),
    stub: fc.boolean(),
    labelled: fc.boolean(),
    badType: fc.boolean(),
    bootloader: fc.boolean(),
    pci: fc.array(fc.tuple(bdf, fc.boolean()), { maxLength: 2 }),
  });
  const arb = fc.record({
    domains: fc.uniqueArray(domArb, { selector: (d) => d.name, maxLength: 4 }),
    vifs: fc.array(fc.tuple(name, fc.constantFrom('Domain-0', 'netdd', 'a')), { maxLength: 3 }),
    disks: fc.array(fc.tuple(name, fc.constantFrom('Domain-0', 'stor')), { maxLength: 3 }),
    iommu: fc.boolean(),
    ir: fc.option(fc.boolean(), { nil: undefined }),
    flask: fc.constantFrom('enforcing', 'permissive', 'disabled'),
  });
  fc.assert(
    fc.property(arb, (a) => {
      const domains = a.domains.map((d) => {
        const label = d.labelled ? (d.badType ? 'system_u:system_r:zz_t' : 'system_u:system_r:domU_t') : undefined;
        return dom(d.name, {
          kind: d.kind as 'guest' | 'driver',
          class: d.kind === 'driver' ? (d.cls as 'network') : undefined,
          driverDomainFlag: d.kind === 'driver',
          type: d.type as 'pv',
          deviceModel: d.type === 'hvm' ? { stubdomain: d.stub } : undefined,
          seclabel: label,
          bootloader: d.bootloader ? 'pygrub' : undefined,
          pci: d.pci.map(([b, p], i) => pci(b, p, i)),
        });
      });
      const m = model({
        host: host({ iommu: a.iommu, interruptRemapping: a.ir, flaskMode: a.flask as 'enforcing' }),
        domains,
        vifs: a.vifs.map(([d, b], i) => vif(d, b, i)),
        disks: a.disks.map(([d, b], i) => disk(d, b, `xvd${'bcd'[i]}`)),
      });
      const all = evaluate(m, { policy: 'enforce' });
      const objects: ModelObject[] = [...m.domains, ...m.vifs, ...m.disks];
      for (const o of objects) {
        expect(evaluate(m, { policy: 'enforce', only: o })).toEqual(all.filter((f) => f.target === o));
      }
      // every finding is about an object of the model
      for (const f of all) expect(objects).toContain(f.target);
    }),
    { numRuns: 200 },
  );
});

test('iommu= options: the last quarantine setting wins; no iommu= or other options leave it on; no command line is unknown', () => {
  expect(noQuarantine('console=com1 iommu=no-quarantine flask=enforcing')).toBe(true);
  expect(noQuarantine('iommu=1,no-quarantine')).toBe(true);
  expect(noQuarantine('iommu=no-quarantine iommu=quarantine')).toBe(false);
  expect(noQuarantine('iommu=quarantine=scratch-page')).toBe(false);
  expect(noQuarantine('iommu=1,no-intremap dom0_mem=1024M')).toBe(false);
  expect(noQuarantine('xiommu=no-quarantine')).toBe(false);
  expect(noQuarantine(undefined)).toBeUndefined();
});
