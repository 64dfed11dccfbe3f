// Every DynamicValue Terraform 1.11.4 sent (and the Go test provider answered) in the wire recordings: decoded
// with the schema's types and re-encoded byte for byte; raw_state JSON decoded and encoded to exactly the msgpack
// the Go provider (go-cty) returned from UpgradeResourceState.

import {
  containsUnknown,
  decodeJson,
  decodeMsgpack,
  encodeMsgpack,
  Unknown,
  valueAt,
  type CtyObject,
} from '../../../provider/protocol/cty';
import { fromHex, hex, loadWire } from './fixtures';

const { values, rawStates } = loadWire();

test('the recordings hold a meaningful number of values', () => {
  expect(values.length).toBeGreaterThan(150);
  expect(rawStates.length).toBeGreaterThan(20);
});

test.each(values.map((v) => [v.where, v] as const))('%s round-trips byte for byte', (_where, v) => {
  const decoded = decodeMsgpack(v.bytes, v.type);
  expect(hex(encodeMsgpack(decoded, v.type))).toBe(hex(v.bytes));
});

test.each(rawStates.map((r) => [r.where, r] as const))(
  '%s raw_state JSON -> the msgpack go-cty produced',
  (_where, r) => {
    const decoded = decodeJson(r.json, r.type);
    expect(containsUnknown(decoded)).toBe(false);
    expect(hex(encodeMsgpack(decoded, r.type))).toBe(hex(r.upgraded));
  },
);

test('the refined unknown from 02-plan/p3 keeps its refinements', () => {
  const plan = values.find((v) => v.where.startsWith('02-plan/p3/009-PlanResourceChange.request.json config'));
  expect(plan).toBeDefined();
  const config = decodeMsgpack(plan!.bytes, plan!.type) as CtyObject;
  const label = valueAt(config, [{ attr: 'tags' }, { key: 'label' }]);
  expect(label).toBeInstanceOf(Unknown);
  expect((label as Unknown).refinements).toEqual({ nullness: false, stringPrefix: 'id-' });
  expect(valueAt(config, [{ attr: 'parent_id' }])).toBeInstanceOf(Unknown);
  expect((valueAt(config, [{ attr: 'parent_id' }]) as Unknown).refinements).toBeUndefined();
  expect(valueAt(config, [{ attr: 'size' }])).toEqual({ text: '0.1' });
});

test('the bare refined unknown bytes from the brief', () => {
  const v = decodeMsgpack(fromHex('d7 0c 82 01 c2 02 a3 69 64 2d'), 'string');
  expect(v).toBeInstanceOf(Unknown);
  expect((v as Unknown).refinements).toEqual({ nullness: false, stringPrefix: 'id-' });
  expect(hex(encodeMsgpack(v, 'string'))).toBe('d70c8201c202a369642d');
});
