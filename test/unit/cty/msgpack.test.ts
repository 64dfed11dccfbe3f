// msgpack behaviours beyond the go-cty vectors: refinement encodings, error paths, hostile input, buffer growth.

import {
  BigNumber,
  CodecError,
  decodeMsgpack,
  Dynamic,
  encodeMsgpack,
  record,
  UNKNOWN,
  Unknown,
  type CtyType,
  type CtyValue,
} from '../../../provider/protocol/cty';
import { fromHex, hex } from './fixtures';

const diskType: CtyType = [
  'object',
  {
    name: 'string',
    disk: ['list', ['object', { vdev: 'string', target: 'string' }]],
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

describe('errors name the attribute path', () => {
  test('decode: a bool where a nested string belongs', () => {
    // {"disk": [{"target": "t", "vdev": true}], "name": "n"}
    const bytes = fromHex('82 a4 6469736b 91 82 a6 746172676574 a1 74 a4 76646576 c3 a4 6e616d65 a1 6e');
    const e = codecError(() => decodeMsgpack(bytes, diskType));
    expect(e.message).toBe('.disk[0].vdev: expected string, got bool');
    expect(e.path).toEqual([{ attr: 'disk' }, { index: 0 }, { attr: 'vdev' }]);
  });

  test('encode: the same mistake in a value', () => {
    const v = record<CtyValue>([
      ['name', 'n'],
      [
        'disk',
        [
          record<CtyValue>([
            ['vdev', true],
            ['target', 't'],
          ]),
        ],
      ],
    ]);
    expect(codecError(() => encodeMsgpack(v, diskType)).message).toBe('.disk[0].vdev: expected string, got bool');
  });

  test('map keys use the ["key"] form', () => {
    const e = codecError(() => decodeMsgpack(fromHex('81 a3 656e76 c3'), ['map', 'string']));
    expect(e.message).toBe('["env"]: expected string, got bool');
  });

  test('objects must carry every attribute and nothing else', () => {
    expect(
      codecError(() => decodeMsgpack(fromHex('81 a1 61 c0'), ['object', { a: 'string', b: 'string' }])).message,
    ).toBe('missing attribute "b"');
    expect(codecError(() => decodeMsgpack(fromHex('81 a1 7a c0'), ['object', { a: 'string' }])).message).toBe(
      'unsupported attribute "z"',
    );
    expect(
      codecError(() => encodeMsgpack(record([['a', null]]), ['object', { a: 'string', b: 'string' }])).message,
    ).toBe('missing attribute "b"');
  });

  test('duplicate keys, trailing bytes, truncation, bad tuples', () => {
    expect(codecError(() => decodeMsgpack(fromHex('82 a1 61 c0 a1 61 c0'), ['map', 'string'])).message).toMatch(
      /duplicate map key "a"/,
    );
    expect(codecError(() => decodeMsgpack(fromHex('c0 c0'), 'string')).message).toMatch(/unexpected bytes/);
    expect(codecError(() => decodeMsgpack(fromHex('a5 6869'), 'string')).message).toMatch(/end of msgpack data/);
    expect(codecError(() => decodeMsgpack(fromHex('91 01'), ['tuple', ['number', 'number']])).message).toMatch(
      /tuple of 2/,
    );
    expect(codecError(() => decodeMsgpack(fromHex('dd ffffffff'), ['list', 'string'])).message).toMatch(
      /end of msgpack data/,
    );
  });

  test('a number that is not a number', () => {
    expect(codecError(() => decodeMsgpack(fromHex('a3 616263'), 'number')).message).toBe('invalid number "abc"');
    expect(codecError(() => decodeMsgpack(fromHex('91 a3 616263'), ['list', 'number'])).message).toBe(
      '[0]: invalid number "abc"',
    );
    expect(codecError(() => decodeMsgpack(fromHex('cb 7ff8000000000000'), 'number')).message).toMatch(/NaN/);
    expect(codecError(() => encodeMsgpack(Number.NaN, 'number')).message).toMatch(/expected number, got NaN/);
  });

  test('strings must be valid Unicode both ways', () => {
    expect(codecError(() => decodeMsgpack(fromHex('a2 c328'), 'string')).message).toMatch(/UTF-8/);
    expect(codecError(() => encodeMsgpack('\uD800x', 'string')).message).toMatch(/surrogate/);
  });
});

describe('unknowns', () => {
  test('any extension type is an unknown', () => {
    for (const h of ['d4 00 00', 'd4 05 00', 'c7 00 03', 'd6 7f 01020304', 'd4 0c 00']) {
      expect(decodeMsgpack(fromHex(h), 'string')).toBe(UNKNOWN);
    }
  });

  test('refinements are read per type and written in go-cty order', () => {
    // {1: false, 3: [0, true], 4: [10.5, false]} for a number
    const num = new Unknown({ nullness: false, numberLowerBound: [0, true], numberUpperBound: [10.5, false] });
    const bytes = encodeMsgpack(num, 'number');
    expect(hex(bytes)).toBe('c7 13 0c 83 01c2 03 92 00 c3 04 92 cb4025000000000000 c2'.replace(/ /g, ''));
    expect(decodeMsgpack(bytes, 'number')).toEqual(num);

    const list = new Unknown({ nullness: false, lengthLowerBound: 1, lengthUpperBound: 3 });
    const lb = encodeMsgpack(list, ['list', 'string']);
    expect(hex(lb)).toBe('c7070c8301c2050106 03'.replace(/ /g, ''));
    expect(decodeMsgpack(lb, ['list', 'string'])).toEqual(list);
  });

  test('refinements that cannot apply to the type are dropped on encode and refused on decode', () => {
    expect(hex(encodeMsgpack(new Unknown({ stringPrefix: 'x' }), 'number'))).toBe('d40000');
    expect(hex(encodeMsgpack(new Unknown({ stringPrefix: 'x' }), 'dynamic'))).toBe('d40000');
    expect(codecError(() => decodeMsgpack(fromHex('c7 03 0c 81 02 a0'), 'number')).message).toMatch(/string prefix/);
  });

  test('a refined unknown in a dynamic slot is a plain unknown; unknown refinement keys are skipped', () => {
    expect(decodeMsgpack(fromHex('d7 0c 82 01 c2 02 a3 69 64 2d'), 'dynamic')).toBe(UNKNOWN);
    const v = decodeMsgpack(fromHex('c7 07 0c 82 09 92 01 02 01 c2'), 'bool');
    expect(v).toEqual(new Unknown({ nullness: false }));
  });

  test('malformed refinements are CodecErrors', () => {
    expect(codecError(() => decodeMsgpack(fromHex('d5 0c 01 02'), 'string')).message).toMatch(/not a msgpack map/);
    expect(codecError(() => decodeMsgpack(fromHex('d5 0c 81 01'), 'string')).message).toMatch(/end of msgpack data/);
  });
});

describe('values', () => {
  test('"__proto__" and "constructor" are ordinary map keys and attributes', () => {
    const t: CtyType = ['map', 'string'];
    const v = decodeMsgpack(fromHex('82 a9 5f5f70726f746f5f5f a1 78 ab 636f6e7374727563746f72 a1 79'), t) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor']);
    expect(v['__proto__']).toBe('x');
    expect(hex(encodeMsgpack(v as never, t))).toBe('82a95f5f70726f746f5f5fa178ab636f6e7374727563746f72a179');
  });

  test('map keys sort by code point like Go, not by UTF-16 unit', () => {
    const v = record([
      ['\u{1F600}', '1'],
      ['\uFF01', '2'],
    ]);
    // U+FF01 (ef bc 81) sorts before U+1F600 (f0 9f 98 80) in UTF-8 byte order.
    expect(hex(encodeMsgpack(v, ['map', 'string']))).toBe('82a3efbc81a132a4f09f9880a131');
  });

  test('integer widths follow vmihailenco compact encoding', () => {
    const cases: [number | bigint, string][] = [
      [127, '7f'],
      [128, 'cc80'],
      [255, 'ccff'],
      [256, 'cd0100'],
      [65536, 'ce00010000'],
      [2 ** 32, 'cf0000000100000000'],
      [-32, 'e0'],
      [-33, 'd0df'],
      [-129, 'd1ff7f'],
      [-32769, 'd2ffff7fff'],
      [-(2 ** 31) - 1, 'd3ffffffff7fffffff'],
      [2n ** 63n - 1n, 'cf7fffffffffffffff'],
      [-(2n ** 63n), 'd38000000000000000'],
      [2 ** 63, 'cb43e0000000000000'],
      [2n ** 64n - 1n, 'b4' + Buffer.from('18446744073709551615').toString('hex')],
      [-0, '00'],
    ];
    for (const [n, h] of cases) expect(hex(encodeMsgpack(n, 'number'))).toBe(h);
  });

  test('number representations: BigNumber text is kept, but exact values take the int/float form', () => {
    expect(hex(encodeMsgpack(new BigNumber('0.10'), 'number'))).toBe('a4302e3130');
    expect(hex(encodeMsgpack(new BigNumber('5.0'), 'number'))).toBe('05');
    expect(hex(encodeMsgpack(new BigNumber('0.5'), 'number'))).toBe('cb3fe0000000000000');
    expect(hex(encodeMsgpack(new BigNumber('1e400'), 'number'))).toBe('a531653430' + '30');
    expect(decodeMsgpack(fromHex('cf ffffffffffffffff'), 'number')).toBe(2n ** 64n - 1n);
    expect(decodeMsgpack(fromHex('a2 3132'), 'number')).toBe(12);
    expect(decodeMsgpack(fromHex('ca 3fc00000'), 'number')).toBe(1.5);
    expect(codecError(() => encodeMsgpack(new BigNumber('1,5'), 'number')).message).toMatch(/invalid number/);
  });

  test('an integer past int64 written as BigNumber text encodes as its digits, like the bigint it reads back as', () => {
    // Found by the msgpack round-trip property (seed 1368450361): decode gave a bigint that re-encoded differently.
    const bytes = encodeMsgpack(new BigNumber('92300.0003e14'), 'number');
    expect(bytes).toEqual(encodeMsgpack(9230000030000000000n, 'number'));
    expect(decodeMsgpack(bytes, 'number')).toBe(9230000030000000000n);
  });

  test('strings and type JSON may arrive as bin', () => {
    expect(decodeMsgpack(fromHex('c4 02 6869'), 'string')).toBe('hi');
    expect(decodeMsgpack(fromHex('92 a8 22737472696e6722 a26869'), 'dynamic')).toEqual(new Dynamic('string', 'hi'));
  });

  test('values larger than the writer buffer keep every header byte (regression)', () => {
    const v = Array.from({ length: 300 }, () => 'a');
    expect(hex(encodeMsgpack(v, ['list', 'string']))).toBe('dc012c' + 'a161'.repeat(300));
    const long = 'x'.repeat(70000);
    const bytes = encodeMsgpack([long, 'y'], ['list', 'string']);
    expect(hex(bytes.subarray(0, 6))).toBe('92db00011170');
    expect(decodeMsgpack(bytes, ['list', 'string'])).toEqual([long, 'y']);
  });

  test('deeply nested dynamic values are refused, not a stack overflow', () => {
    const layer = fromHex('92 a9 2264796e616d696322'); // ["dynamic", <value of type dynamic>]
    const depth = 5000;
    const bytes = new Uint8Array(layer.length * depth + 1);
    for (let i = 0; i < depth; i++) bytes.set(layer, i * layer.length);
    bytes[bytes.length - 1] = 0xc0;
    expect(codecError(() => decodeMsgpack(bytes, 'dynamic')).message).toMatch(/nested too deeply/);
  });
});
