// cty JSON (UpgradeResourceState raw_state): precision, state-file layout, leniency, and errors.

import {
  BigNumber,
  CodecError,
  decodeJson,
  Dynamic,
  encodeJson,
  record,
  UNKNOWN,
  valueEquals,
  type CtyType,
  type CtyValue,
} from '../../../provider/protocol/cty';

const richType: CtyType = [
  'object',
  {
    aliases: ['set', 'string'],
    enabled: 'bool',
    id: 'string',
    name: 'string',
    parent_id: 'string',
    rule: ['list', ['object', { port: 'number', protocol: 'string' }]],
    settings: ['object', { level: 'number', mode: 'string' }],
    size: 'number',
    tags: ['map', 'string'],
  },
];

function codecError(f: () => unknown): CodecError {
  try {
    f();
  } catch (e) {
    if (e instanceof CodecError) return e;
    throw e;
  }
  throw new Error('expected a CodecError');
}

test('numbers keep full precision: no float64 on the way', () => {
  expect(decodeJson('9007199254740993', 'number')).toBe(9007199254740993n);
  expect(decodeJson('0.1', 'number')).toEqual(new BigNumber('0.1'));
  expect(decodeJson('2.5', 'number')).toBe(2.5);
  expect(decodeJson('1e2', 'number')).toBe(100);
  expect(decodeJson('123456789012345678901234567890', 'number')).toEqual(
    new BigNumber('123456789012345678901234567890'),
  );
  expect(encodeJson(9007199254740993n, 'number')).toBe('9007199254740993');
  expect(encodeJson(new BigNumber('0.1'), 'number')).toBe('0.1');
  expect(encodeJson(1e21, 'number')).toBe('1000000000000000000000');
  expect(encodeJson(2 ** 64, 'number')).toBe('18446744073709551616');
  expect(encodeJson(0.375, 'number')).toBe('0.375');
  // A JS number is a float64: when its shortest form is not exactly its value, the exact expansion is written, so
  // the text reads back as the same number (go-cty would write 0.0000001 and read back a different one).
  expect(encodeJson(1e-7, 'number')).toBe(
    '0.0000000999999999999999954748111825886258685613938723690807819366455078125',
  );
  expect(decodeJson(encodeJson(1e-7, 'number'), 'number')).toBe(1e-7);
  expect(encodeJson(new BigNumber('5.0'), 'number')).toBe('5');
});

test('a pretty-printed state-file attributes object, as Terraform 1.11 sends raw_state', () => {
  const raw = `{
            "aliases": [
              "alpha",
              "gamma"
            ],
            "enabled": false,
            "id": "fk-r3",
            "name": "b-rich",
            "parent_id": null,
            "rule": [
              {
                "port": 80,
                "protocol": "tcp"
              }
            ],
            "settings": {
              "level": 3,
              "mode": "fast"
            },
            "size": 0.1,
            "tags": {
              "__proto__": "x"
            }
          }`;
  const v = decodeJson(new TextEncoder().encode(raw), richType) as Record<string, CtyValue>;
  expect(v.size).toEqual(new BigNumber('0.1'));
  expect(v.parent_id).toBeNull();
  expect(Object.keys(v.tags as object)).toEqual(['__proto__']);
  expect(encodeJson(v, richType)).toBe(
    '{"aliases":["alpha","gamma"],"enabled":false,"id":"fk-r3","name":"b-rich","parent_id":null,' +
      '"rule":[{"port":80,"protocol":"tcp"}],"settings":{"level":3,"mode":"fast"},"size":0.1,"tags":{"__proto__":"x"}}',
  );
});

test('attributes the schema no longer has: an error, or dropped on request', () => {
  const t: CtyType = ['object', { a: 'string' }];
  expect(codecError(() => decodeJson('{"a":"x","old":{"deep":[1,2]}}', t)).message).toBe('unsupported attribute "old"');
  expect(decodeJson('{"a":"x","old":{"deep":[1,2]}}', t, { dropUnknownAttributes: true })).toEqual(
    record([['a', 'x']]),
  );
  // Missing attributes read as null, as go-cty does.
  expect(decodeJson('{}', ['object', { a: 'string', b: 'number' }])).toEqual(
    record([
      ['a', null],
      ['b', null],
    ]),
  );
});

test('go-cty leniency for primitives', () => {
  expect(decodeJson('12.50', 'string')).toBe('12.50');
  expect(decodeJson('true', 'string')).toBe('true');
  expect(decodeJson('"42"', 'number')).toBe(42);
  expect(decodeJson('"false"', 'bool')).toBe(false);
  expect(codecError(() => decodeJson('"yes"', 'bool')).message).toBe('expected bool, got string');
  expect(codecError(() => decodeJson('{"n":"x1"}', ['object', { n: 'number' }])).message).toBe(
    '.n: invalid number "x1"',
  );
});

test('dynamic values are {"value":...,"type":...}', () => {
  expect(decodeJson('{"type":["list","number"],"value":[1,0.1]}', 'dynamic')).toEqual(
    new Dynamic(['list', 'number'], [1, new BigNumber('0.1')]),
  );
  expect(encodeJson(new Dynamic(['map', 'bool'], record([['k', true]])), 'dynamic')).toBe(
    '{"value":{"k":true},"type":["map","bool"]}',
  );
  expect(encodeJson(null, 'dynamic')).toBe('{"value":null,"type":"dynamic"}');
  expect(decodeJson('{"value":null,"type":"dynamic"}', 'dynamic')).toBeNull();
  expect(decodeJson('null', 'dynamic')).toBeNull();
  expect(codecError(() => decodeJson('{"value":1}', 'dynamic')).message).toMatch(/both "value" and "type"/);
  expect(codecError(() => decodeJson('[1]', ['object', { d: 'dynamic' }])).message).toBe(
    'expected object, got JSON array',
  );
});

test('errors carry paths; malformed JSON is a CodecError', () => {
  expect(
    codecError(() =>
      decodeJson('{"rule":[{"port":"80","protocol":7}]}', [
        'object',
        { rule: ['list', ['object', { port: 'number', protocol: 'bool' }]] },
      ]),
    ).message,
  ).toBe('.rule[0].protocol: expected bool, got number');
  for (const bad of ['', '{', '{"a":1,}', '[1 2]', '01', '1.', '"\\x"', '"\u0001"', 'nul', '{"a":1} x', '\uFEFF{}']) {
    expect(codecError(() => decodeJson(bad, ['map', 'number'])).message).toMatch(/JSON/);
  }
  expect(codecError(() => decodeJson('{"a":1,"a":2}', ['map', 'number'])).message).toMatch(/duplicate map key "a"/);
  expect(codecError(() => decodeJson('['.repeat(100000), ['list', 'string'])).message).toMatch(/nested deeper/);
  expect(codecError(() => decodeJson(new Uint8Array([0x22, 0xff, 0x22]), 'string')).message).toMatch(/UTF-8/);
});

test('unknowns cannot be written as JSON; strings are escaped as Go does', () => {
  expect(codecError(() => encodeJson(record([['a', UNKNOWN]]), ['object', { a: 'string' }])).message).toBe(
    '.a: unknown values cannot be written as JSON',
  );
  expect(encodeJson('<a & b>\n\u2028"\\', 'string')).toBe('"\\u003ca \\u0026 b\\u003e\\n\\u2028\\"\\\\"');
  expect(decodeJson('"\\ud83d\\ude00 \\ud800"', 'string')).toBe('\u{1F600} \uFFFD');
});

test('sets compare without order after a JSON round trip', () => {
  const t: CtyType = ['set', 'number'];
  expect(valueEquals(decodeJson('[3, 0.1, 2]', t), [2, 3, new BigNumber('0.10')], t)).toBe(true);
});
