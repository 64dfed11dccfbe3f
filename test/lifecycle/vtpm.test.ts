// xen_vtpm_manager, xen_vtpm, a guest's vtpm block and the write-only display passwords, through the real provider
// binary and the simulated host, with Terraform's checks on every answer (test/support/lifecycle.ts): create, read,
// no-op plan, import, drift repaired, refusals with the attribute path, destroy.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Unknown } from '../../provider/protocol/cty/types';
import type { CtyObject } from '../../provider/protocol/cty/types';
import { encodeMsgpack } from '../../provider/protocol/cty';
import { DEMO_INVENTORY } from '../../provider/xen/sim/inventory';
import { DiagnosticsError, TerraformSession } from '../support/lifecycle';
import { domainNames, providerConfig, simHost } from '../support/sim';
import { eventually } from '../support/eventually';
import type { SimHost } from '../support/sim';

// Each step runs several simulated xl commands (a node process each): generous on a loaded 2-core machine.
jest.setTimeout(180_000);

/** The demo host with a FLASK policy module for the vTPM domains, as a real vTPM host needs. */
const VTPM_POLICY = {
  flask: { mode: 'enforcing', policy_types: [...DEMO_INVENTORY.flask.policy_types, 'vtpmmgr_t', 'vtpm_t'] },
};
const label = (t: string) => `system_u:system_r:${t}`;

const sessions: TerraformSession[] = [];
async function open(host: SimHost, extra: Record<string, unknown> = {}): Promise<TerraformSession> {
  const tf = await TerraformSession.start();
  sessions.push(tf);
  await tf.configure(providerConfig(host, { hotplug_timeout: '2s', ...extra }));
  return tf;
}
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

const manager = (tf: TerraformSession, over: Record<string, unknown> = {}) =>
  tf.config('xen_vtpm_manager', {
    name: 'vtpmmgr',
    storage: '/var/lib/xen/vtpm/mgr.img',
    tpm_version: '2.0',
    seclabel: label('vtpmmgr_t'),
    ...over,
  });
const vtpm = (tf: TerraformSession, over: Record<string, unknown> = {}) =>
  tf.config('xen_vtpm', {
    name: 'web-vtpm',
    manager: 'vtpmmgr',
    storage: '/var/lib/xen/vtpm/web.img',
    seclabel: label('vtpm_t'),
    ...over,
  });
const guest = (tf: TerraformSession, over: Record<string, unknown> = {}) =>
  tf.config('xen_domain', {
    name: 'web',
    firmware: 'pvgrub64',
    seclabel: label('domU_t'),
    vtpm: { backend: 'web-vtpm' },
    ...over,
  });

describe('vTPM manager, vTPM and guest', () => {
  test('create the chain, read it back unchanged, import each, drift repaired, destroy', async () => {
    const host = simHost(VTPM_POLICY);
    const tf = await open(host);

    const plan = await tf.plan('xen_vtpm_manager', null, manager(tf));
    expect(plan.planned).toMatchObject({
      kernel: '/usr/lib/xen/boot/vtpmmgr-stubdom.gz',
      memory: 16,
      tpm_locality: 2,
      storage_backend: 'Domain-0',
    });
    const { state: mgr } = await tf.applyConfig('xen_vtpm_manager', null, manager(tf));
    expect(mgr).toMatchObject({
      id: 'vtpmmgr',
      tpm_version: '2.0',
      tpm_locality: 2,
      state: 'running',
      autostart: false,
    });
    // What the manager was given: its TPM page (locality 2) and the command line telling it so.
    const mgrJson = JSON.parse(host.xl('list', '-l', 'vtpmmgr'))[0].config;
    expect(mgrJson.b_info).toMatchObject({
      cmdline: 'tpmlocality=2 tpm2=1',
      iomem: [{ start: 0xfed42, number: 1 }],
      kernel: '/usr/lib/xen/boot/vtpmmgr-stubdom.gz',
    });
    expect(mgrJson.disks).toEqual([expect.objectContaining({ vdev: 'hda', pdev_path: '/var/lib/xen/vtpm/mgr.img' })]);

    const { state: vt } = await tf.applyConfig('xen_vtpm', null, vtpm(tf));
    expect(vt).toMatchObject({
      manager: 'vtpmmgr',
      manager_domid: mgr.domid,
      connected: true,
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(host.xl('vtpm-list', 'web-vtpm')).toContain(`${vt.uuid}      0     4`);

    const gPlan = await tf.plan('xen_domain', null, guest(tf));
    expect((gPlan.planned!.vtpm as CtyObject).backend_domid).toBeInstanceOf(Unknown);
    const { state: web } = await tf.applyConfig('xen_domain', null, guest(tf));
    expect(web.vtpm).toEqual({ backend: 'web-vtpm', backend_domid: vt.domid });
    expect(JSON.parse(host.xl('list', '-l', 'web'))[0].config.vtpms).toEqual([
      { backend_domname: 'web-vtpm', devid: 0, uuid: expect.any(String) },
    ]);

    for (const [type, state, config] of [
      ['xen_vtpm_manager', mgr, manager(tf)],
      ['xen_vtpm', vt, vtpm(tf)],
      ['xen_domain', web, guest(tf)],
    ] as const) {
      expect(await tf.isNoop(type, state, config)).toMatchObject({ noop: true });
      const imported = await tf.importState(type, state.id as string);
      expect(await tf.isNoop(type, imported, config)).toMatchObject({ noop: true });
    }

    // The manager destroyed and re-created by hand: the vTPM's link is dead; the plan replaces it, and once the
    // vTPM is re-created, the guest (whose TPM frontend points at the old vTPM domain).
    host.xl('destroy', 'vtpmmgr');
    const mgr2 = await eventually(
      () => tf.read('xen_vtpm_manager', mgr),
      (s) => s === null,
    );
    expect(mgr2).toBeNull();
    const { state: mgrAgain } = await tf.applyConfig('xen_vtpm_manager', null, manager(tf));
    const vtRead = (await tf.read('xen_vtpm', vt))!;
    expect(vtRead).toMatchObject({ connected: false });
    const vtPlan = await tf.plan('xen_vtpm', vtRead, vtpm(tf));
    expect(vtPlan.requiresReplace).toContain('manager_domid');
    const { state: vt2 } = await tf.applyConfig('xen_vtpm', vtRead, vtpm(tf));
    expect(vt2).toMatchObject({ manager_domid: mgrAgain.domid, connected: true });
    const webRead = (await tf.read('xen_domain', web))!;
    const webPlan = await tf.plan('xen_domain', webRead, guest(tf));
    expect(webPlan.requiresReplace).toEqual(expect.arrayContaining(['vtpm.backend_domid']));
    const { state: web2 } = await tf.applyConfig('xen_domain', webRead, guest(tf));
    expect(web2.vtpm).toEqual({ backend: 'web-vtpm', backend_domid: vt2.domid });

    await tf.destroy('xen_domain', web2);
    await tf.destroy('xen_vtpm', vt2);
    await tf.destroy('xen_vtpm_manager', mgrAgain);
    expect(domainNames(host)).toEqual(['Domain-0']);
  });

  test('a vTPM whose manager cannot reach a TPM: explained error, the domain handed to Terraform (tainted), not orphaned', async () => {
    const host = simHost({ ...VTPM_POLICY, tpm: '1.2' });
    const tf = await open(host);
    await tf.applyConfig('xen_vtpm_manager', null, manager(tf)); // the config says 2.0: the manager cannot use this 1.2 TPM
    const plan = await tf.plan('xen_vtpm', null, vtpm(tf));
    const err = await tf.apply('xen_vtpm', null, plan.planned, vtpm(tf)).catch((e) => e);
    expect(err).toBeInstanceOf(DiagnosticsError);
    const d = (err as DiagnosticsError).diags[0];
    expect(d.summary).toBe('vTPM web-vtpm did not connect to its manager vtpmmgr');
    expect(d.detail).toMatch(
      /shows state 1 \(Initialising\), not 4.*xl console vtpmmgr.*Waiting for commands from vTPM's.*tpm_version/s,
    );
    expect((err as any).state).toMatchObject({ name: 'web-vtpm', connected: false });
    expect(host.xl('list')).toMatch(/^web-vtpm /m);
  });

  test('dom0 failing to answer right after the vTPM domain was created (vtpm-list): the domain is handed to Terraform, not orphaned', async () => {
    const host = simHost(VTPM_POLICY);
    const tf = await open(host);
    await tf.applyConfig('xen_vtpm_manager', null, manager(tf));
    const plan = await tf.plan('xen_vtpm', null, vtpm(tf));
    host.xl('sim-fault', 'fail-once', 'vtpm-list', '1', 'libxl: error: the connection to dom0 went away');
    const err = await tf.apply('xen_vtpm', null, plan.planned, vtpm(tf)).catch((e) => e);
    expect(err).toBeInstanceOf(DiagnosticsError);
    expect((err as any).state).toMatchObject({
      id: 'web-vtpm',
      name: 'web-vtpm',
      manager: 'vtpmmgr',
      domid: expect.any(Number),
    });
    expect(host.xl('list')).toMatch(/^web-vtpm /m);
    host.xl('sim-fault', 'clear');
  });

  test('autostart in place; the manager is destroyed (it ignores shutdown), its link from xendomains removed', async () => {
    const host = simHost(VTPM_POLICY);
    const tf = await open(host);
    const { state } = await tf.applyConfig('xen_vtpm_manager', null, manager(tf));
    const { state: auto, plan } = await tf.applyConfig('xen_vtpm_manager', state, manager(tf, { autostart: true }));
    expect(plan.requiresReplace).toEqual([]);
    expect(auto).toMatchObject({ autostart: true, domid: state.domid });
    const link = path.join(host.dir, 'state', 'auto', 'vtpmmgr.cfg');
    expect(existsSync(link)).toBe(true);
    await tf.destroy('xen_vtpm_manager', auto);
    expect(existsSync(link)).toBe(false);
  });

  test('bad input is a diagnostic naming the attribute', async () => {
    const host = simHost(VTPM_POLICY);
    const tf = await open(host);
    const paths = async (type: string, config: CtyObject) =>
      ((await tf.validate(type, config).catch((e) => e)) as DiagnosticsError).diags
        .filter((x) => x.severity === 'error')
        .map((x) => `${x.path}: ${x.summary}`)
        .sort();
    expect(
      await paths('xen_vtpm_manager', manager(tf, { tpm_version: '3.0', tpm_locality: 5, storage: 'relative.img' })),
    ).toEqual([
      'storage: Invalid value for storage',
      'tpm_locality: Invalid value for tpm_locality',
      'tpm_version: Invalid value for tpm_version',
    ]);
    expect(await paths('xen_vtpm', vtpm(tf, { uuid: 'not-a-uuid', manager: 'bad name' }))).toEqual([
      'manager: Invalid value for manager',
      'uuid: Invalid value for uuid',
    ]);
    expect(await paths('xen_vtpm', vtpm(tf, { manager: 'Domain-0' }))).toEqual([
      'manager: dom0 cannot be the vTPM manager',
    ]);
    expect(await paths('xen_domain', guest(tf, { vtpm: { backend: 'Domain-0' } }))).toEqual([
      'vtpm.backend: dom0 cannot serve a vTPM',
    ]);
    expect(await paths('xen_domain', guest(tf, { vtpm: { backend: 'a,b' } }))).toEqual([
      'vtpm.backend: Invalid value for backend',
    ]);
    expect(await paths('xen_domain', guest(tf, { vnc: { password_wo: 'pw' } }))).toEqual([
      'vnc: vnc applies to HVM guests only',
    ]);
    expect(
      await paths('xen_domain', tf.config('xen_domain', { name: 'd', type: 'hvm', spice: { port: 5901 } })),
    ).toEqual(['spice.password_wo: SPICE needs a password']);
    const pw = await paths(
      'xen_domain',
      tf.config('xen_domain', { name: 'd', type: 'hvm', spice: { port: 5901, password_wo: 'a,b"c' } }),
    );
    expect(pw).toEqual(['spice.password_wo: Invalid value for password_wo']);

    // A vTPM domain the plan cannot find at apply: explained in the user's terms.
    const { state: mgr } = await tf.applyConfig('xen_vtpm_manager', null, manager(tf));
    const plan = await tf.plan('xen_domain', null, guest(tf, { vtpm: { backend: 'nosuch-vtpm' } }));
    const err = await tf
      .apply('xen_domain', null, plan.planned, guest(tf, { vtpm: { backend: 'nosuch-vtpm' } }))
      .catch((e) => e);
    expect((err as DiagnosticsError).message).toMatch(/unable to add vtpm devices/);
    await tf.destroy('xen_vtpm_manager', mgr);
  });

  test('posture: a guest on the manager directly, two guests on one vTPM (error), each on the resource planned', async () => {
    const host = simHost(VTPM_POLICY);
    const tf = await open(host, { security_policy: 'enforce' });
    await tf.applyConfig('xen_vtpm_manager', null, manager(tf));
    const direct = await tf.plan('xen_domain', null, guest(tf, { vtpm: { backend: 'vtpmmgr' } }));
    expect(direct.diags).toEqual([
      expect.objectContaining({
        severity: 'warning',
        summary: 'Virtual TPM manager not isolated: web',
        path: 'vtpm.backend',
      }),
    ]);
    await tf.applyConfig('xen_vtpm', null, vtpm(tf));
    await tf.applyConfig('xen_domain', null, guest(tf));
    const second = await tf.plan('xen_domain', null, guest(tf, { name: 'web2' })).catch((e) => e);
    expect(second).toBeInstanceOf(DiagnosticsError);
    expect((second as DiagnosticsError).diags).toEqual([
      expect.objectContaining({ summary: 'Virtual TPM shared by several domains: web2', path: 'vtpm.backend' }),
    ]);

    const posture = await tf.readData('xen_security_posture', {});
    const tcb = (posture.tcb as CtyObject).web as CtyObject[];
    expect(tcb.map((e) => e.domain)).toEqual(['Xen', 'Domain-0', 'vtpmmgr', 'web-vtpm']);
  });
});

describe('write-only display passwords', () => {
  const desk = (tf: TerraformSession, over: Record<string, unknown> = {}) =>
    tf.config('xen_domain', {
      name: 'desk',
      type: 'hvm',
      seclabel: label('domU_t'),
      device_model: { stubdomain: true, seclabel: label('dm_dom_t') },
      vnc: { listen: '127.0.0.1', password_wo: 'vncpw123', password_wo_version: 1 },
      spice: { port: 5901, host: '127.0.0.1', password_wo: 'spice-pw' },
      ...over,
    });

  test('never in plan or state; libxl gets them; the config file holding them is gone after create', async () => {
    const host = simHost();
    const tf = await open(host);
    const plan = await tf.plan('xen_domain', null, desk(tf));
    expect(plan.planned!.vnc).toMatchObject({ password_wo: null, password_wo_version: 1 });
    const { state } = await tf.applyConfig('xen_domain', null, desk(tf));
    expect(JSON.stringify(state)).not.toMatch(/vncpw123|spice-pw/);
    expect(state.vnc).toMatchObject({ listen: '127.0.0.1', enabled: true, password_wo: null, password_wo_version: 1 });
    expect(state.spice).toMatchObject({ port: 5901, disable_ticketing: false, password_wo: null });
    // libxl's own copy (what the docs warn about)
    const libxl = JSON.parse(host.xl('list', '-l', 'desk'))[0].config.b_info['type.hvm'];
    expect(libxl.vnc.passwd).toBe('vncpw123');
    expect(libxl.spice.passwd).toBe('spice-pw');
    const configs = path.join(host.dir, 'state', 'configs');
    expect(readdirSync(configs).filter((f) => f.includes('desk'))).toEqual([]);
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) =>
        statSync(path.join(dir, f)).isDirectory() ? walk(path.join(dir, f)) : [path.join(dir, f)],
      );
    for (const f of walk(configs)) {
      expect(statSync(f).mode & 0o777).toBe(0o600);
      expect(readFileSync(f, 'utf8')).not.toMatch(/vncpw123|spice-pw/);
    }
    expect(statSync(path.join(configs, 'journal')).mode & 0o777).toBe(0o700);
    expect(statSync(configs).mode & 0o777).toBe(0o700);
    expect(await tf.isNoop('xen_domain', state, desk(tf))).toMatchObject({ noop: true });
    // A new password is applied by bumping its version: that replaces the domain.
    const bump = await tf.plan(
      'xen_domain',
      state,
      desk(tf, { vnc: { listen: '127.0.0.1', password_wo: 'newpw', password_wo_version: 2 } }),
    );
    expect(bump.requiresReplace).toEqual(['vnc']);
    await tf.destroy('xen_domain', state);
  });

  test('a client that does not announce write-only support (Terraform < 1.11) is refused, naming the attribute', async () => {
    const host = simHost();
    const tf = await open(host);
    const config = desk(tf);
    const res: any = await tf.provider.call('ValidateResourceConfig', {
      typeName: 'xen_domain',
      config: { msgpack: encodeMsgpack(config, tf.typeOf('xen_domain')) },
    } as any);
    const diags = (res.diagnostics ?? [])
      .map((d: any) => [d.summary, d.attribute.steps.map((s: any) => s.attributeName).join('.')])
      .sort();
    expect(diags).toEqual([
      ['Write-only attribute needs Terraform 1.11 or later', 'spice.password_wo'],
      ['Write-only attribute needs Terraform 1.11 or later', 'vnc.password_wo'],
    ]);
    // leaving them unset is accepted by any Terraform
    const none = desk(tf, { vnc: null, spice: null });
    const ok: any = await tf.provider.call('ValidateResourceConfig', {
      typeName: 'xen_domain',
      config: { msgpack: encodeMsgpack(none, tf.typeOf('xen_domain')) },
    } as any);
    expect(ok.diagnostics ?? []).toEqual([]);
  });
});

describe('provider functions over the protocol', () => {
  test('listed in the schema; bad arguments come back as a FunctionError naming the argument', async () => {
    const tf = await TerraformSession.start();
    sessions.push(tf);
    const schema: any = await tf.provider.call('GetProviderSchema', {});
    expect(Object.keys(schema.functions).sort()).toEqual(['bdf', 'mac', 'seclabel']);
    const call = (name: string, v: string) =>
      tf.provider.call('CallFunction', {
        name,
        arguments: [{ msgpack: encodeMsgpack(v, 'string') }],
      } as any) as Promise<any>;
    const ok = await call('bdf', '3:0.0');
    expect(Buffer.from(ok.result.msgpack).toString('latin1')).toContain('0000:03:00.0');
    const bad = await call('bdf', '3:0.9');
    expect(bad.error.text).toMatch(/not a PCI address/);
    expect(Number(bad.error.functionArgument)).toBe(0);
    expect((await call('nosuch', 'x')).error.text).toMatch(/no function "nosuch"/);
  });
});
