// The vTPM parts of the posture: each way a vTPM manager loses its isolation, a vTPM shared by two guests, where
// vTPM domains sit in a guest's TCB, and how live domains are recognised as vTPM domains.

import { evaluate } from '../../../provider/policy/evaluate';
import type { HostModel } from '../../../provider/policy/model';
import { RULES } from '../../../provider/policy/rules';
import { hostFacts, liveObjects } from '../../../provider/policy/sources';
import { plannedObjects } from '../../../provider/resources/posture_objects';
import { composeModel } from '../../../provider/policy/compose';
import { tcbByGuest } from '../../../provider/policy/tcb';
import { record } from '../../../provider/protocol/cty/types';
import type { CtyValue } from '../../../provider/protocol/cty/types';
import { domainInfo } from '../../support/domain-info';
import { DEMO_TYPES, disk, dom, host, model, netdd, vif } from './fixtures';

const TYPES = new Set([...DEMO_TYPES, 'vtpmmgr_t', 'vtpm_t']);
const vtpmHost = (over = {}) => host({ flaskTypes: TYPES, ...over });
const manager = (name = 'vtpmmgr', over = {}) =>
  dom(name, { kind: 'vtpm_manager', resource: 'xen_vtpm_manager', seclabel: 'system_u:system_r:vtpmmgr_t', ...over });
const vtpm = (name: string, mgr = 'vtpmmgr', over = {}) =>
  dom(name, { kind: 'vtpm', resource: 'xen_vtpm', seclabel: 'system_u:system_r:vtpm_t', vtpmBackend: mgr, ...over });
const guest = (name: string, backend?: string) => dom(name, backend ? { vtpmBackend: backend } : {});

const rule = (id: string) => RULES.filter((r) => r.id === id);
const find = (m: HostModel, id: string) => evaluate(m, { policy: 'enforce', rules: rule(id) });
const isolation = (m: HostModel) =>
  find(m, 'vtpm-manager-not-isolated').map((f) => ({ subject: f.subject, path: f.path, message: f.message }));

describe('vtpm-manager-not-isolated', () => {
  const sound = () => [manager(), vtpm('web-vtpm'), guest('web', 'web-vtpm')];

  test('the Xen layout (manager -> vTPM -> guest, each labelled) has no finding', () => {
    expect(isolation(model({ host: vtpmHost(), domains: sound() }))).toEqual([]);
  });

  test('a vTPM managed by dom0', () => {
    const got = isolation(
      model({ host: vtpmHost(), domains: [vtpm('web-vtpm', 'Domain-0'), guest('web', 'web-vtpm')] }),
    );
    expect(got).toEqual([
      expect.objectContaining({
        subject: 'web-vtpm',
        path: [{ attr: 'manager' }],
        message: expect.stringMatching(/dom0 as its manager/),
      }),
    ]);
  });

  test('an unlabelled manager, and one sharing its type with a guest, under FLASK', () => {
    expect(
      isolation(
        model({ host: vtpmHost(), domains: [manager('vtpmmgr', { seclabel: undefined }), ...sound().slice(1)] }),
      ),
    ).toEqual([
      expect.objectContaining({
        subject: 'vtpmmgr',
        path: [{ attr: 'seclabel' }],
        message: expect.stringMatching(/no FLASK label/),
      }),
    ]);
    const shared = isolation(
      model({
        host: vtpmHost(),
        domains: [manager('vtpmmgr', { seclabel: 'system_u:system_r:domU_t' }), ...sound().slice(1)],
      }),
    );
    expect(shared).toEqual([
      expect.objectContaining({
        subject: 'vtpmmgr',
        message: expect.stringMatching(/shares FLASK type domU_t with "web"/),
      }),
    ]);
  });

  test('without FLASK there is no label to judge: no label finding', () => {
    const m = model({
      host: vtpmHost({ flaskMode: 'disabled', flaskTypes: undefined }),
      domains: [manager('vtpmmgr', { seclabel: undefined }), ...sound().slice(1)],
    });
    expect(isolation(m)).toEqual([]);
  });

  test('a network interface on the manager, and devices it serves', () => {
    const m = model({
      host: vtpmHost(),
      domains: [...sound(), netdd()],
      vifs: [vif('vtpmmgr', 'netdd', 0), vif('web', 'vtpmmgr', 1)],
      disks: [disk('web', 'vtpmmgr', 'xvdb')],
    });
    expect(isolation(m)).toEqual([
      expect.objectContaining({ subject: 'vtpmmgr/vif0', path: [{ attr: 'domain' }] }),
      expect.objectContaining({ subject: 'web/vif1', path: [{ attr: 'backend' }] }),
      expect.objectContaining({ subject: 'web/xvdb', path: [{ attr: 'backend' }] }),
    ]);
  });

  test('with `only`, each finding is reported on its own resource', () => {
    const g = guest('web', 'vtpmmgr');
    const mgr = manager();
    const m = model({ host: vtpmHost(), domains: [mgr, g] });
    expect(
      evaluate(m, { policy: 'enforce', only: g, rules: rule('vtpm-manager-not-isolated') }).map((f) => f.subject),
    ).toEqual(['web']);
    expect(evaluate(m, { policy: 'enforce', only: mgr, rules: rule('vtpm-manager-not-isolated') })).toEqual([]);
  });
});

describe('vtpm-shared', () => {
  test('names every guest of the shared vTPM, and not the vTPM domains of one manager', () => {
    const m = model({
      host: vtpmHost(),
      domains: [manager(), vtpm('one'), vtpm('two'), guest('a', 'one'), guest('b', 'one'), guest('c', 'two')],
    });
    expect(find(m, 'vtpm-shared').map((f) => [f.subject, f.severity])).toEqual([
      ['a', 'error'],
      ['b', 'error'],
    ]);
  });
});

describe('TCB', () => {
  test("a guest with a vTPM trusts its vTPM domain and that vTPM's manager", () => {
    const tcb = tcbByGuest(
      model({ host: vtpmHost(), domains: [manager(), vtpm('web-vtpm'), guest('web', 'web-vtpm'), guest('other')] }),
    );
    const web = tcb.get('web')!.map((e) => e.domain);
    expect(web).toEqual(['Xen', 'Domain-0', 'vtpmmgr', 'web-vtpm']);
    expect(tcb.get('web')!.find((e) => e.domain === 'vtpmmgr')!.reason).toMatch(/vTPM manager of web-vtpm/);
    expect(tcb.get('other')!.map((e) => e.domain)).toEqual(['Xen', 'Domain-0']);
    // vTPM domains are not guests: they have no TCB row of their own
    expect([...tcb.keys()].sort()).toEqual(['other', 'web']);
  });

  test('a guest served by the manager directly, or by dom0', () => {
    const direct = tcbByGuest(model({ host: vtpmHost(), domains: [manager(), guest('web', 'vtpmmgr')] })).get('web')!;
    expect(direct.find((e) => e.domain === 'vtpmmgr')!.reason).toMatch(/directly/);
    const inDom0 = tcbByGuest(model({ domains: [guest('web', 'Domain-0')] })).get('web')!;
    expect(inDom0.map((e) => e.domain)).toEqual(['Xen', 'Domain-0']);
    expect(inDom0[1].reason).toMatch(/serves its vTPM/);
  });
});

describe('live and planned vTPM domains', () => {
  test('recognised by their image, or by their wiring when the image is renamed', () => {
    const live = liveObjects(
      [
        domainInfo(0, 'Domain-0'),
        domainInfo(1, 'vtpmmgr', { kernel: '/usr/lib/xen/boot/vtpmmgr-stubdom.gz' }),
        domainInfo(2, 'web-vtpm', {
          kernel: '/usr/lib/xen/boot/vtpm-stubdom.gz',
          vtpms: [{ devid: 0, backendDomname: 'vtpmmgr', uuid: 'u' }],
        }),
        domainInfo(3, 'web', { vtpms: [{ devid: 0, backendDomname: 'web-vtpm' }] }),
        domainInfo(4, 'mgr2', { kernel: '/opt/tpm/mgr.gz' }),
        domainInfo(5, 'v2', { kernel: '/opt/tpm/v.gz', vtpms: [{ devid: 0, backendDomid: 4 }] }),
        domainInfo(6, 'g2', { vtpms: [{ devid: 0, backendDomname: 'v2' }] }),
      ],
      hostFacts({ info: { iommu: true } as never, flask: 'enforcing', domains: [], hostPci: [], assignable: [] }),
    );
    const kinds = Object.fromEntries(live.domains.map((d) => [d.name, [d.kind, d.vtpmBackend ?? null]]));
    expect(kinds).toEqual({
      'Domain-0': ['dom0', null],
      vtpmmgr: ['vtpm_manager', null],
      'web-vtpm': ['vtpm', 'vtpmmgr'],
      web: ['guest', 'web-vtpm'],
      mgr2: ['vtpm_manager', null],
      v2: ['vtpm', 'mgr2'],
      g2: ['guest', 'v2'],
    });
  });

  test('planned xen_vtpm / xen_vtpm_manager / xen_domain vtpm block become model domains', () => {
    const v = (o: Record<string, CtyValue>) => record<CtyValue>(Object.entries(o));
    const mgr = plannedObjects(
      'xen_vtpm_manager',
      v({ name: 'vtpmmgr', seclabel: 'system_u:system_r:vtpmmgr_t', storage: '/s', storage_backend: 'Domain-0' }),
    )!;
    const vt = plannedObjects(
      'xen_vtpm',
      v({ name: 'web-vtpm', manager: 'vtpmmgr', storage: '/w', storage_backend: 'Domain-0' }),
    )!;
    const g = plannedObjects(
      'xen_domain',
      v({ name: 'web', type: 'pv', pci: [], disk: [], vtpm: v({ backend: 'vtpmmgr', backend_domid: null }) }),
    )!;
    expect(mgr.subject).toMatchObject({ kind: 'vtpm_manager', resource: 'xen_vtpm_manager' });
    expect(vt.subject).toMatchObject({
      kind: 'vtpm',
      vtpmBackend: 'vtpmmgr',
      paths: { vtpmBackend: [{ attr: 'manager' }] },
    });
    expect(vt.inlineDisks).toEqual([
      expect.objectContaining({ vdev: 'hda', backend: 'Domain-0', paths: { backend: [{ attr: 'storage_backend' }] } }),
    ]);
    const m = composeModel(vtpmHost(), { domains: [], vifs: [], disks: [] }, [mgr, vt, g]);
    expect(isolation(m)).toEqual([
      expect.objectContaining({ subject: 'web', path: [{ attr: 'vtpm' }, { attr: 'backend' }] }),
    ]);
  });
});
