import { CodecError, parseTypeJson, typeEquals, typeToJson, type CtyType } from '../../../provider/protocol/cty';

test('parses every kind and writes go-cty compact JSON', () => {
  const cases: [string, CtyType][] = [
    ['"string"', 'string'],
    ['"dynamic"', 'dynamic'],
    ['["list","string"]', ['list', 'string']],
    ['["set",["map","bool"]]', ['set', ['map', 'bool']]],
    ['["tuple",["string","number"]]', ['tuple', ['string', 'number']]],
    ['["tuple",[]]', ['tuple', []]],
    ['["object",{"a":"string","b":["list","number"]}]', ['object', { a: 'string', b: ['list', 'number'] }]],
    ['["object",{"a":"string","b":"bool"},["a","b"]]', ['object', { a: 'string', b: 'bool' }, ['a', 'b']]],
  ];
  for (const [json, type] of cases) {
    expect(typeEquals(parseTypeJson(json), type)).toBe(true);
    expect(typeToJson(type)).toBe(json);
  }
});

test('accepts whitespace and bytes; sorts attributes and optional names; drops an empty optional list', () => {
  const t = parseTypeJson(new TextEncoder().encode(' [ "object" , { "z" : "bool", "a" : "string" } , [ "z", "a" ] ] '));
  expect(typeToJson(t)).toBe('["object",{"a":"string","z":"bool"},["a","z"]]');
  expect(typeToJson(parseTypeJson('["object",{"a":"string"},[]]'))).toBe('["object",{"a":"string"}]');
  expect(typeToJson(['object', { '<&>': 'string', __proto__x: 'bool' }])).toBe(
    '["object",{"\\u003c\\u0026\\u003e":"string","__proto__x":"bool"}]',
  );
});

test('"__proto__" is an ordinary attribute name', () => {
  const t = parseTypeJson('["object",{"__proto__":"string"}]') as ['object', Record<string, CtyType>];
  expect(Object.keys(t[1])).toEqual(['__proto__']);
  expect(typeToJson(t)).toBe('["object",{"__proto__":"string"}]');
});

test('rejects what is not a type, naming the problem', () => {
  const bad: [string, RegExp][] = [
    ['"int"', /unknown type name "int"/],
    ['["list"]', /list needs exactly one element type/],
    ['["list","string","x"]', /exactly one/],
    ['["tuple","string"]', /tuple needs an array/],
    ['["object",["a"]]', /attribute map/],
    ['["object",{"a":"string"},["b"]]', /optional attribute "b" is not an attribute/],
    ['["object",{"a":"string","a":"bool"}]', /duplicate object attribute "a"/],
    ['["frob","string"]', /unknown type kind "frob"/],
    ['42', /expected a type name or array/],
    ['[]', /must start with a type kind/],
    ['"string', /invalid JSON/],
  ];
  for (const [json, re] of bad) {
    let err: unknown;
    try {
      parseTypeJson(json);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CodecError);
    expect((err as Error).message).toMatch(re);
  }
});

test('typeEquals is structural and ignores optional order', () => {
  expect(typeEquals(['object', { a: 'string' }, ['a']], ['object', { a: 'string' }, ['a']])).toBe(true);
  expect(typeEquals(['object', { a: 'string' }, ['a']], ['object', { a: 'string' }])).toBe(false);
  expect(typeEquals(['list', 'string'], ['set', 'string'])).toBe(false);
  expect(typeEquals(['tuple', ['string']], ['tuple', ['string', 'bool']])).toBe(false);
});
