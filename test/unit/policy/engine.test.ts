// The plan-time engine over the simulated host (in-process xl-sim through the toolstack's runner seam): what one
// provider process reports as resources are planned one by one, and Toolstack.flaskPolicyTypes.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Diagnostics } from '../../../provider/framework/diagnostics';
import type { PlanContext } from '../../../provider/framework/resource';
import { createLogger } from '../../../provider/log';
import { PostureEngine, type PostureClient } from '../../../provider/policy/engine';
import { plannedObjects } from '../../../provider/resources/posture_objects';
import type { SecurityPolicy } from '../../../provider/policy/evaluate';
import { record, UNKNOWN, type CtyObject, type CtyValue } from '../../../provider/protocol/cty/types';
import { createToolstack } from '../../../provider/xen/connect';
import { runXlSim } from '../../../provider/xen/sim/cli';
import { DEMO_INVENTORY } from '../../../provider/xen/sim/inventory';
import type { Toolstack } from '../../../provider/xen/toolstack';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function simDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'posture-engine-'));
  dirs.push(dir);
  return dir;
}

function simToolstack(dir = simDir()): Toolstack {
  return createToolstack({
    connection: `sim://${dir}`,
    simCommand: ['xl-sim'],
    runner: async (argv, opts) => {
      let stdout = '';
      let stderr = '';
      const exitCode = await runXlSim(
        argv.slice(1),
        { ...opts.env },
        { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
      );
      return { stdout, stderr, exitCode, durationMs: 0 };
    },
  });
}

const log = createLogger(() => undefined, {});

function ctx(meta: PostureClient, planned: CtyObject): PlanContext<PostureClient> {
  return {
    meta,
    diags: new Diagnostics(),
    signal: new AbortController().signal,
    log,
    config: planned,
    prior: null,
    planned,
    priorPrivate: new Uint8Array(),
    requiresReplace: () => undefined,
    isReplacing: () => true,
    step: () => undefined,
  };
}

const o = (e: Record<string, CtyValue>) => record<CtyValue>(Object.entries(e));
const domain = (name: string, extra: Record<string, CtyValue> = {}) =>
  o({
    name,
    type: 'pv',
    seclabel: 'system_u:system_r:domU_t',
    firmware: 'pvgrub64',
    bootloader: null,
    init_seclabel: null,
    pci: [],
    disk: [],
    device_model: null,
    ...extra,
  });

test("flaskPolicyTypes: the simulated host lists the loaded policy's types", async () => {
  const ts = simToolstack();
  expect(await ts.flaskPolicyTypes()).toEqual(DEMO_INVENTORY.flask.policy_types);
});

test('a vif planned after the network driver domain is told to use it; the driver domain itself is clean', async () => {
  const meta = { ts: simToolstack(), securityPolicy: 'enforce' as SecurityPolicy };
  const engine = new PostureEngine({ objects: plannedObjects });
  const dd = ctx(
    meta,
    o({
      name: 'netdd',
      class: 'network',
      type: 'pv',
      seclabel: 'system_u:system_r:domU_t',
      pci: [o({ bdf: '03:00.0', permissive: false })],
      disk: [],
    }),
  );
  await engine.checkPlan('xen_driver_domain', dd);
  expect(dd.diags.items).toEqual([]);
  await engine.checkPlan('xen_domain', ctx(meta, domain('web')));
  const v = ctx(meta, o({ domain: 'web', backend: 'Domain-0', bridge: 'xenbr0', mac: null, devid: null }));
  await engine.checkPlan('xen_vif', v);
  expect(v.diags.items).toEqual([
    expect.objectContaining({
      severity: 'warning',
      summary: 'Guest network served by dom0: web/vif(Domain-0)',
      path: [{ attr: 'backend' }],
    }),
  ]);
  expect(v.diags.items[0].detail).toContain('backend = "netdd"');
  // The data-source view sees the same, and the guest's TCB.
  const report = await engine.evaluateHost(meta);
  expect(report.findings.map((f) => f.rule)).toEqual(['guest-network-in-dom0']);
  expect(report.tcb.get('web')?.map((e) => e.domain)).toEqual(['Xen', 'Domain-0']);
});

test('the data-source view reads the host afresh: a vif planned, then attached within the plan-time window, is reported under its devid', async () => {
  const dir = simDir();
  const meta = { ts: simToolstack(dir), securityPolicy: 'enforce' as SecurityPolicy };
  const engine = new PostureEngine({ objects: plannedObjects, now: () => 0 }); // the plan-time reading never ages
  await engine.checkPlan('xen_domain', ctx(meta, domain('web')));
  await engine.checkPlan(
    'xen_vif',
    ctx(meta, o({ domain: 'web', backend: 'Domain-0', bridge: 'xenbr0', mac: null, devid: null })),
  );
  // What the apply then does, behind the engine's back.
  const xl = (argv: string[]) =>
    runXlSim(argv, { XEN_SIM_STATE: dir }, { stdout: () => undefined, stderr: () => undefined });
  const cfg = path.join(dir, 'web.cfg');
  writeFileSync(cfg, 'name = "web"\ntype = "pv"\nmemory = 256\nfirmware = "pvgrub64"\n');
  expect(await xl(['create', cfg])).toBe(0);
  expect(await xl(['network-attach', 'web', 'backend=Domain-0', 'bridge=xenbr0'])).toBe(0);
  meta.ts.invalidate();
  const report = await engine.evaluateHost(meta);
  const dom0 = report.tcb.get('web')?.find((e) => e.domain === 'Domain-0')?.reason;
  expect(dom0).toContain('serves vif 0 (bridge xenbr0)');
  expect(dom0).not.toContain('(new)');
});

test("off checks nothing; warn downgrades; a label the resource's own check refused at the same place is not repeated", async () => {
  const ts = simToolstack();
  const bad = () => domain('web', { seclabel: 'system_u:system_r:nosuch_t' });
  const off = ctx({ ts, securityPolicy: 'off' }, bad());
  await new PostureEngine({ objects: plannedObjects }).checkPlan('xen_domain', off);
  expect(off.diags.items).toEqual([]);
  const warn = ctx({ ts, securityPolicy: 'warn' }, bad());
  await new PostureEngine({ objects: plannedObjects }).checkPlan('xen_domain', warn);
  expect(warn.diags.items.map((d) => [d.severity, d.summary])).toEqual([
    ['warning', 'FLASK label type unknown to the loaded policy: web'],
  ]);
  const said = ctx({ ts, securityPolicy: 'enforce' }, bad());
  // As labels.ts says it (its own words, not the rule's): matched by rule and place, never by text.
  said.diags.error('FLASK label names a type the policy does not define', 'already said', [{ attr: 'seclabel' }]);
  await new PostureEngine({ objects: plannedObjects }).checkPlan('xen_domain', said);
  expect(said.diags.items).toHaveLength(1);
});

test("validation reports own-configuration rules under the provider block's security_policy", () => {
  const engine = new PostureEngine({ objects: plannedObjects });
  const v = { config: domain('old', { firmware: null, bootloader: 'pygrub' }), diags: new Diagnostics() };
  engine.checkConfig('xen_domain', v);
  expect(v.diags.items.map((d) => [d.severity, d.summary, d.path])).toEqual([
    ['warning', 'Bootloader runs in dom0: old', [{ attr: 'bootloader' }]],
  ]);
  engine.noteSecurityPolicy('off');
  const off = { config: domain('old', { bootloader: 'pygrub' }), diags: new Diagnostics() };
  engine.checkConfig('xen_domain', off);
  expect(off.diags.items).toEqual([]);
});

test('a driver domain whose pci blocks are not known yet (dynamic block over a variable at validate) is not called device-less', () => {
  const engine = new PostureEngine({ objects: plannedObjects });
  const dd = (pci: CtyValue) => ({
    config: o({ name: 'netdd', class: 'network', type: 'pv', seclabel: null, pci, disk: [] }),
    diags: new Diagnostics(),
  });
  for (const pci of [UNKNOWN, [UNKNOWN]]) {
    const v = dd(pci);
    engine.checkConfig('xen_driver_domain', v);
    expect(v.diags.items).toEqual([]);
  }
  const none = dd([]);
  engine.checkConfig('xen_driver_domain', none);
  expect(none.diags.items.map((d) => d.summary)).toEqual(['Driver domain without a device: netdd']);
});
