// go-cty's own msgpack bytes (cty-vectors.json): our encoder must produce them exactly and our decoder must read
// them back to the value cty's JSON form describes.

import {
  BigNumber,
  containsUnknown,
  decodeJson,
  decodeMsgpack,
  Dynamic,
  encodeJson,
  encodeMsgpack,
  record,
  UNKNOWN,
  Unknown,
  valueEquals,
  valueFromJsonNode,
  type CtyValue,
} from '../../../provider/protocol/cty';
import { fromHex, hex, loadVectors } from './fixtures';

const vectors = loadVectors();

test('all 46 vectors are present', () => {
  expect(vectors).toHaveLength(46);
});

describe.each(vectors.filter((v) => !v.hasUnknown).map((v) => [`${v.index}: ${v.note}`, v] as const))(
  '%s',
  (_name, v) => {
    // value_json renders go's float64 1e100 as its shortest digits, which as decimal text is exactly 10^100, a
    // different number from the float64; the vector's note says it was made from a float64.
    const expected: CtyValue = v.note.includes('made from a float64')
      ? Number((v.valueNode as { text: string }).text)
      : valueFromJsonNode(v.valueNode, v.type);

    test('encodes to go-cty bytes', () => {
      expect(hex(encodeMsgpack(expected, v.type))).toBe(v.hex);
    });

    test('decodes to the value', () => {
      const decoded = decodeMsgpack(fromHex(v.hex), v.type);
      expect(valueEquals(decoded, expected, v.type)).toBe(true);
      expect(hex(encodeMsgpack(decoded, v.type))).toBe(v.hex);
    });
  },
);

describe.each(vectors.filter((v) => v.hasUnknown).map((v) => [`${v.index}: ${v.note}`, v] as const))(
  '%s',
  (_name, v) => {
    test('decodes to a value with an unknown and re-encodes byte for byte', () => {
      const decoded = decodeMsgpack(fromHex(v.hex), v.type);
      expect(containsUnknown(decoded)).toBe(true);
      expect(hex(encodeMsgpack(decoded, v.type))).toBe(v.hex);
    });
  },
);

describe('vectors decode to the representation CtyValue documents', () => {
  const byHex = (h: string) => {
    const v = vectors.find((x) => x.hex === h);
    if (!v) throw new Error(`no vector ${h}`);
    return decodeMsgpack(fromHex(h), v.type);
  };

  test('2^53+1 is a bigint, 0.1 and big decimals are BigNumber text, 300 is a number', () => {
    expect(byHex('cf0020000000000001')).toBe(9007199254740993n);
    expect(byHex('a3302e31')).toEqual(new BigNumber('0.1'));
    expect(byHex('cd012c')).toBe(300);
    expect(byHex('d1ff38')).toBe(-200);
    expect(byHex('cb3fe0000000000000')).toBe(0.5);
    expect(byHex('cb43f0000000000000')).toBe(2 ** 64);
    const big = byHex(vectors[10].hex);
    expect(big).toBeInstanceOf(BigNumber);
    expect((big as BigNumber).text).toBe('1' + '0'.repeat(100));
  });

  test('unknowns inside collections and objects stay where they were', () => {
    expect(byHex('92a161d40000')).toEqual(['a', UNKNOWN]);
    expect(byHex('83a161a178a162c0a163d40000')).toEqual(
      record<CtyValue>([
        ['a', 'x'],
        ['b', null],
        ['c', UNKNOWN],
      ]),
    );
    expect(byHex('81a16bd40000')).toEqual(record([['k', UNKNOWN]]));
    expect(byHex('d40000')).toBeInstanceOf(Unknown);
  });

  test('dynamic slots: pair, bare unknown, typed unknown, null', () => {
    expect(byHex('92c40822737472696e6722a26869')).toEqual(new Dynamic('string', 'hi'));
    const v = vectors.find((x) => x.note.startsWith('unknown string in a dynamic slot'))!;
    const typedUnknown = decodeMsgpack(fromHex(v.hex), 'dynamic');
    expect(typedUnknown).toBeInstanceOf(Dynamic);
    expect((typedUnknown as Dynamic).type).toBe('string');
    expect((typedUnknown as Dynamic).value).toBeInstanceOf(Unknown);
    expect(decodeMsgpack(fromHex('c0'), 'dynamic')).toBeNull();
  });

  test('known vectors survive cty JSON both ways, numbers written as go-cty does', () => {
    for (const v of vectors.filter((x) => !x.hasUnknown && !x.note.includes('made from a float64'))) {
      const value = valueFromJsonNode(v.valueNode, v.type);
      const back = decodeJson(encodeJson(value, v.type), v.type);
      expect(valueEquals(back, value, v.type)).toBe(true);
      expect(hex(encodeMsgpack(back, v.type))).toBe(v.hex);
    }
    const json = (h: string) => {
      const v = vectors.find((x) => x.hex === h)!;
      return encodeJson(valueFromJsonNode(v.valueNode, v.type), v.type);
    };
    expect(json('a3302e31')).toBe('0.1');
    expect(json('cf0020000000000001')).toBe('9007199254740993');
    expect(json('92c40822737472696e6722a26869')).toBe('{"value":"hi","type":"string"}');
    expect(json('82a161a132a17aa131')).toBe('{"a":"2","z":"1"}');
    expect(json('c0')).toBe('null');
  });
});
