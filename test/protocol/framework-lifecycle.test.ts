// The framework through the real plugin transport: a test-only provider (test/support/fixture-provider) driven the
// way Terraform drives providers, with Terraform's consistency checks on every answer.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BigNumber, UNKNOWN, Unknown } from '../../provider/protocol/cty/types';
import type { CtyObject } from '../../provider/protocol/cty/types';
import { buildFixtureProvider } from '../support/fixture-provider/build';
import { ContractViolation, DiagnosticsError, TerraformSession } from '../support/lifecycle';

let binary: string;
let dir: string;
let tf: TerraformSession;

beforeAll(async () => {
  binary = buildFixtureProvider();
  dir = mkdtempSync(path.join(tmpdir(), 'tfxen-fixture-state-'));
  tf = await TerraformSession.start({ binary });
  await tf.configure({ dir });
}, 60_000);

afterAll(async () => {
  await tf?.close();
});

const T = 'fixture_thing';

test('create -> read -> no-op plan -> update in place -> replace -> import -> destroy', async () => {
  // Terraform sends 0.1 as the msgpack string "0.1" (not exact in float64); it must come back as that string.
  const config1 = tf.config(T, {
    name: 'a',
    size: new BigNumber('0.1'),
    tags: { env: 'dev', __proto__x: 'p' },
    aliases: ['x', 'y'],
    settings: { level: 3 },
    rule: [{ port: 80 }, { port: 443, protocol: 'udp' }],
  });
  const plan1 = await tf.plan(T, null, config1);
  expect(plan1.planned!.id).toBeInstanceOf(Unknown);
  expect(plan1.planned!.mode).toBe('fast');
  expect(plan1.planned!.enabled).toBe(true);

  const { state: s1 } = await tf.applyConfig(T, null, config1);
  expect(s1.id).toMatch(/^thing-/);
  expect(s1.size).toEqual(config1.size); // 0.1 stays exactly the number Terraform sent
  expect(s1.serial).toBe(1);

  const noop = await tf.isNoop(T, s1, config1);
  expect(noop.noop).toBe(true);

  const config2 = tf.config(T, { name: 'a', size: 7, rule: [{ port: 80 }] });
  const plan2 = await tf.plan(T, s1, config2);
  expect(plan2.requiresReplace).toEqual([]);
  expect(plan2.planned!.id).toBe(s1.id); // stable computed value kept
  expect(plan2.planned!.serial).toBeInstanceOf(Unknown); // changing computed value unknown
  const { state: s2 } = await tf.applyConfig(T, s1, config2);
  expect(s2.id).toBe(s1.id);
  expect(s2.serial).toBe(2);

  const config3 = tf.config(T, { name: 'b', size: 7, rule: [{ port: 80 }] });
  const plan3 = await tf.plan(T, s2, config3);
  expect(plan3.requiresReplace).toEqual(['name']);
  expect(plan3.planned!.id).toBeInstanceOf(Unknown);
  const { state: s3 } = await tf.applyConfig(T, s2, config3);
  expect(s3.id).not.toBe(s1.id);

  const imported = await tf.importState(T, s3.id as string);
  expect(imported.name).toBe('b');
  expect((await tf.isNoop(T, imported, config3)).noop).toBe(true);

  await tf.destroy(T, s3);
  expect(await tf.read(T, s3)).toBeNull();
});

test('unknown values in config (including refined unknowns) are planned, not rejected', async () => {
  const config = tf.config(T, { name: 'u', size: UNKNOWN, tags: UNKNOWN });
  const plan = await tf.plan(T, null, config);
  expect(plan.planned!.size).toBeInstanceOf(Unknown);
  expect(plan.planned!.tags).toBeInstanceOf(Unknown);
});

test('invalid values get a diagnostic naming the attribute path and what is valid', async () => {
  const config = tf.config(T, { name: 'v', mode: 'warp', rule: [{ port: 70000 }] });
  const err = await tf.validate(T, config).catch((e) => e);
  expect(err).toBeInstanceOf(DiagnosticsError);
  const paths = (err as DiagnosticsError).diags.map((d) => d.path).sort();
  expect(paths).toEqual(['mode', 'rule[0].port']);
  expect((err as DiagnosticsError).message).toMatch(/"fast", "slow"/);
});

test('a create that fails half way returns the partial state with the error (nothing orphaned)', async () => {
  const config = tf.config(T, { name: 'fail-partially' });
  const plan = await tf.plan(T, null, config);
  const err = await tf.apply(T, null, plan.planned, config).catch((e) => e);
  expect(err).toBeInstanceOf(DiagnosticsError);
  expect((err as any).state).toMatchObject({ id: 'partial-1', name: 'fail-partially' });
  const objects = JSON.parse(readFileSync(path.join(dir, 'objects.json'), 'utf8'));
  expect(objects['partial-1']).toBeDefined();
});

test('UpgradeResourceState: pretty-printed state JSON of an older schema version is upgraded', async () => {
  const json =
    '{\n            "id": "thing-old",\n            "name": "old",\n            "volume": 5,\n            "gone_attr": true\n          }';
  const upgraded = (await tf.upgrade(T, json, 0)) as CtyObject;
  expect(upgraded.size).toBe(5);
  expect(upgraded.name).toBe('old');
  expect(upgraded.rule).toEqual([]);
  expect(upgraded.mode).toBeNull();
  // The integer is written as JSON text: a JS number literal would already have lost the last digit.
  const same = (await tf.upgrade(T, '{"id": "x", "name": "n", "size": 9007199254740993}', 1)) as CtyObject;
  expect(same.size).toBe(9007199254740993n);
});

test('unknown resource types and undecodable values are diagnostics, and the process lives on', async () => {
  const res: any = await tf.provider.call('ReadResource', {
    typeName: 'fixture_nope',
    currentState: { msgpack: new Uint8Array([0xc0]) },
  } as any);
  expect(res.diagnostics[0].detail).toMatch(/no resource type "fixture_nope"/);
  const bad: any = await tf.provider.call('PlanResourceChange', {
    typeName: T,
    config: { msgpack: new Uint8Array([0x93, 0x01]) },
  } as any);
  expect(bad.diagnostics.length).toBeGreaterThan(0);
  expect(await tf.provider.health()).toBe(1);
});

test('the consistency checks catch a provider that changes a planned value', () => {
  // Guards the guard: the checker must reject what Terraform rejects.
  const { assertObjectCompatible } = require('../support/tfcore');
  expect(assertObjectCompatible(['object', { a: 'string' }], { a: '03:00.0' }, { a: '0000:03:00.0' })).toHaveLength(1);
  expect(() => {
    throw new ContractViolation('x');
  }).toThrow(ContractViolation);
});

test('StopProvider cancels in-flight work', async () => {
  const config = tf.config(T, { name: 'slow' });
  const plan = await tf.plan(T, null, config);
  const started = Date.now();
  const pending = tf.apply(T, null, plan.planned, config).catch((e) => e);
  await new Promise((r) => setTimeout(r, 300));
  await tf.provider.call('StopProvider', {});
  const err = await pending;
  expect(err).toBeInstanceOf(DiagnosticsError);
  expect(err.message).toMatch(/asked the provider to stop/);
  expect(Date.now() - started).toBeLessThan(10_000);
  // The provider keeps serving after a stop.
  expect(await tf.provider.health()).toBe(1);
});
