import {
  BigNumber,
  conformsTo,
  containsUnknown,
  Dynamic,
  formatPath,
  isWhollyKnown,
  mapValue,
  nullOf,
  record,
  UNKNOWN,
  Unknown,
  unknownsFor,
  valueAt,
  valueEquals,
  walk,
  type CtyType,
  type CtyValue,
  type Path,
} from '../../../provider/protocol/cty';

const diskType: CtyType = [
  'object',
  {
    name: 'string',
    tags: ['map', 'string'],
    disk: ['list', ['object', { vdev: 'string', size: 'number' }]],
  },
];
const sample = () =>
  record<CtyValue>([
    ['name', 'dom'],
    ['tags', record([['env', 'prod']])],
    [
      'disk',
      [
        record<CtyValue>([
          ['vdev', 'xvda'],
          ['size', 10],
        ]),
        record<CtyValue>([
          ['vdev', UNKNOWN],
          ['size', null],
        ]),
      ],
    ],
  ]);

test('formatPath', () => {
  expect(formatPath([{ attr: 'disk' }, { index: 0 }, { attr: 'vdev' }])).toBe('.disk[0].vdev');
  expect(formatPath([{ attr: 'tags' }, { key: 'a"b' }])).toBe('.tags["a\\"b"]');
  expect(formatPath([])).toBe('');
});

test('valueEquals: numbers by exact value across representations', () => {
  expect(valueEquals(0.5, new BigNumber('0.50'), 'number')).toBe(true);
  expect(valueEquals(9007199254740993n, new BigNumber('9007199254740993'), 'number')).toBe(true);
  expect(valueEquals(9007199254740992, 9007199254740993n, 'number')).toBe(false);
  expect(valueEquals(0.1, new BigNumber('0.1'), 'number')).toBe(false); // float64 0.1 is not decimal 0.1
  expect(valueEquals(100, new BigNumber('1e2'), 'number')).toBe(true);
  expect(valueEquals(0, -0, 'number')).toBe(true);
});

test('valueEquals: sets ignore order but count duplicates; lists do not', () => {
  expect(valueEquals(['a', 'b'], ['b', 'a'], ['set', 'string'])).toBe(true);
  expect(valueEquals(['a', 'a'], ['a', 'b'], ['set', 'string'])).toBe(false);
  expect(valueEquals(['a', 'b'], ['b', 'a'], ['list', 'string'])).toBe(false);
  expect(
    valueEquals(
      record([['a', '1']]),
      record([
        ['a', '1'],
        ['b', '2'],
      ]),
      ['map', 'string'],
    ),
  ).toBe(false);
  expect(valueEquals(sample(), sample(), diskType)).toBe(true);
  expect(valueEquals(null, 'x', 'string')).toBe(false);
  expect(valueEquals(UNKNOWN, 'x', 'string')).toBe(false);
  expect(valueEquals(new Unknown({ stringPrefix: 'a' }), new Unknown({ stringPrefix: 'b' }), 'string')).toBe(false);
  expect(valueEquals(new Unknown({}), UNKNOWN, 'string')).toBe(true);
  expect(valueEquals(new Dynamic('string', 'x'), new Dynamic('string', 'x'), 'dynamic')).toBe(true);
  expect(valueEquals(new Dynamic('string', 'x'), new Dynamic(['list', 'string'], ['x']), 'dynamic')).toBe(false);
});

test('unknown detection', () => {
  expect(containsUnknown(sample())).toBe(true);
  expect(isWhollyKnown(record([['a', [1, 2]]]))).toBe(true);
  expect(containsUnknown(new Dynamic('string', UNKNOWN))).toBe(true);
  expect(nullOf(diskType)).toBeNull();
  expect(unknownsFor(['object', { a: 'string', b: 'number' }])).toEqual(
    record([
      ['a', UNKNOWN],
      ['b', UNKNOWN],
    ]),
  );
  expect(unknownsFor(['list', 'string'])).toBe(UNKNOWN);
});

test('conformsTo reports the first problem with its path', () => {
  expect(conformsTo(sample(), diskType)).toBeUndefined();
  const bad = sample();
  (bad.disk as CtyValue[])[1] = record<CtyValue>([
    ['vdev', true],
    ['size', null],
  ]);
  expect(conformsTo(bad, diskType)).toBe('.disk[1].vdev: expected string, got bool');
  expect(conformsTo(record([['name', 'x']]), diskType)).toBe('missing attribute "tags"');
  expect(conformsTo(record<CtyValue>([['tags', record([['k', 1]])]]), ['object', { tags: ['map', 'string'] }])).toBe(
    '.tags["k"]: expected string, got number',
  );
  expect(conformsTo([1, 'x'], ['tuple', ['number', 'number']])).toBe('[1]: expected number, got string');
  expect(conformsTo('x', 'dynamic')).toBe('expected a dynamic value, got string');
  expect(conformsTo(new BigNumber('nope'), 'number')).toBe('invalid number "nope"');
});

test('walk visits in pre-order with paths and types, and can skip', () => {
  const seen: string[] = [];
  walk(sample(), diskType, (path: Path, v, t) => {
    seen.push(`${formatPath(path) || '.'}:${typeof t === 'string' ? t : t[0]}`);
    return !(Array.isArray(t) && t[0] === 'map');
  });
  expect(seen).toEqual([
    '.:object',
    '.name:string',
    '.tags:map',
    '.disk:list',
    '.disk[0]:object',
    '.disk[0].vdev:string',
    '.disk[0].size:number',
    '.disk[1]:object',
    '.disk[1].vdev:string',
    '.disk[1].size:number',
  ]);
});

test('mapValue rebuilds bottom-up without mutating the input', () => {
  const input = sample();
  const out = mapValue(input, diskType, (_path, v) =>
    v instanceof Unknown ? null : typeof v === 'string' ? v.toUpperCase() : v,
  );
  expect(valueAt(out, [{ attr: 'disk' }, { index: 1 }, { attr: 'vdev' }])).toBeNull();
  expect(valueAt(out, [{ attr: 'tags' }, { key: 'env' }])).toBe('PROD');
  expect(valueAt(input, [{ attr: 'tags' }, { key: 'env' }])).toBe('prod');
  expect(containsUnknown(out)).toBe(false);
  expect(valueAt(out, [{ attr: 'nope' }])).toBeUndefined();
});
