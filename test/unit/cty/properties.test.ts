// Properties over random types and values: both codecs round-trip values and are byte-stable, and hostile input
// never makes them throw anything but CodecError or hang.

import fc from 'fast-check';
import {
  CodecError,
  containsUnknown,
  decodeJson,
  decodeMsgpack,
  encodeJson,
  encodeMsgpack,
  parseTypeJson,
  typeEquals,
  typeToJson,
  valueEquals,
  conformsTo,
  parseJsonText,
  type JsonNode,
} from '../../../provider/protocol/cty';
import { typeArb, typedValueArb } from './arbitraries';
import { hex } from './fixtures';

// CTY_PROPERTY_RUNS raises the run count for a one-off deeper search.
const SCALE = Number(process.env.CTY_PROPERTY_RUNS ?? 300) / 300;
const RUNS = { numRuns: Math.round(300 * SCALE) };
const MORE_RUNS = { numRuns: Math.round(500 * SCALE) };

/** Terraform's state-file layout: indented members, number tokens copied verbatim. */
function prettyJson(n: JsonNode, indent: string, nl: string, depth = 1): string {
  const pad = nl + indent.repeat(depth);
  const end = nl + indent.repeat(depth - 1);
  switch (n.kind) {
    case 'null':
      return 'null';
    case 'bool':
      return String(n.value);
    case 'number':
      return n.text;
    case 'string':
      return JSON.stringify(n.value);
    case 'array':
      return n.items.length
        ? `[${n.items.map((x) => pad + prettyJson(x, indent, nl, depth + 1)).join(',')}${end}]`
        : '[]';
    case 'object':
      return n.members.length
        ? `{${n.members.map(([k, x]) => `${pad}${JSON.stringify(k)}: ${prettyJson(x, indent, nl, depth + 1)}`).join(',')}${end}}`
        : '{}';
  }
}

function onlyCodecErrors(f: () => unknown): boolean {
  try {
    f();
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
  }
  return true;
}

describe('types', () => {
  test('typeToJson / parseTypeJson round-trip and are byte-stable', () => {
    fc.assert(
      fc.property(typeArb, (t) => {
        const json = typeToJson(t);
        const back = parseTypeJson(json);
        expect(typeEquals(back, t)).toBe(true);
        expect(typeToJson(back)).toBe(json);
        expect(JSON.parse(json)).toBeDefined(); // valid JSON for any reader
      }),
      RUNS,
    );
  });

  test('random text only ever fails with CodecError', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.json(),
      typeArb.map(typeToJson).map((s) => s.slice(0, -1)),
    );
    fc.assert(
      fc.property(text, (s) => onlyCodecErrors(() => parseTypeJson(s))),
      RUNS,
    );
  });
});

describe('msgpack', () => {
  test('decode(encode(v)) equals v and re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(typedValueArb(true), ({ type, value }) => {
        expect(conformsTo(value, type)).toBeUndefined();
        const bytes = encodeMsgpack(value, type);
        const back = decodeMsgpack(bytes, type);
        expect(valueEquals(back, value, type)).toBe(true);
        expect(hex(encodeMsgpack(back, type))).toBe(hex(bytes));
      }),
      RUNS,
    );
  });

  test('random bytes only ever fail with CodecError', () => {
    fc.assert(
      fc.property(typeArb, fc.uint8Array({ maxLength: 64 }), (type, bytes) =>
        onlyCodecErrors(() => decodeMsgpack(bytes, type)),
      ),
      MORE_RUNS,
    );
  });

  test('truncated and corrupted encodings only ever fail with CodecError', () => {
    fc.assert(
      fc.property(typedValueArb(true), fc.nat(), fc.nat(255), ({ type, value }, at, byte) => {
        const bytes = encodeMsgpack(value, type);
        const cut = bytes.subarray(0, at % (bytes.length + 1));
        onlyCodecErrors(() => decodeMsgpack(cut, type));
        const flipped = bytes.slice();
        if (flipped.length) flipped[at % flipped.length] = byte;
        return onlyCodecErrors(() => decodeMsgpack(flipped, type));
      }),
      RUNS,
    );
  });
});

describe('JSON', () => {
  test('decode(encode(v)) equals v and re-encodes to the same text', () => {
    fc.assert(
      fc.property(typedValueArb(false), ({ type, value }) => {
        expect(containsUnknown(value)).toBe(false);
        const text = encodeJson(value, type);
        const back = decodeJson(text, type);
        expect(valueEquals(back, value, type)).toBe(true);
        expect(encodeJson(back, type)).toBe(text);
        // And the JSON and msgpack views of one value agree (bytes may differ: msgpack keeps BigNumber text as given).
        expect(valueEquals(decodeMsgpack(encodeMsgpack(back, type), type), value, type)).toBe(true);
      }),
      RUNS,
    );
  });

  test('pretty-printed JSON (as in state files) decodes to the same value', () => {
    fc.assert(
      fc.property(typedValueArb(false), fc.integer({ min: 0, max: 12 }), ({ type, value }, indent) => {
        const pretty = prettyJson(parseJsonText(encodeJson(value, type)), ' '.repeat(indent), '\n');
        expect(valueEquals(decodeJson(pretty, type), value, type)).toBe(true);
      }),
      RUNS,
    );
  });

  test('random JSON and random text only ever fail with CodecError', () => {
    const text = fc.oneof(
      fc.json(),
      fc.string({ unit: 'binary' }),
      fc.jsonValue().map((v) => JSON.stringify({ value: v, type: 'string' })),
    );
    fc.assert(
      fc.property(typeArb, text, fc.boolean(), (type, s, drop) =>
        onlyCodecErrors(() => decodeJson(s, type, { dropUnknownAttributes: drop })),
      ),
      MORE_RUNS,
    );
  });

  test('random bytes as JSON only ever fail with CodecError', () => {
    fc.assert(
      fc.property(typeArb, fc.uint8Array({ maxLength: 64 }), (type, bytes) =>
        onlyCodecErrors(() => decodeJson(bytes, type)),
      ),
      RUNS,
    );
  });
});
