// fast-check generators for cty types and for values conforming to them (unknowns with applicable refinements,
// nulls, every number representation, unicode strings, hostile map keys such as "__proto__").

import fc from 'fast-check';
import {
  BigNumber,
  Dynamic,
  record,
  UNKNOWN,
  Unknown,
  type CtyType,
  type CtyValue,
  type Refinements,
} from '../../../provider/protocol/cty';

const keyArb = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    '',
    'a',
    'b',
    'ā',
    '\u{1F600}',
    '\uFF01',
    '<&>',
  ),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

export const typeArb: fc.Arbitrary<CtyType> = fc.letrec<{ type: CtyType }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<CtyType>('string', 'number', 'bool', 'dynamic'),
    fc.tuple(fc.constantFrom('list', 'set', 'map'), tie('type')).map(([k, t]) => [k, t] as CtyType),
    fc.array(tie('type'), { maxLength: 3 }).map((ts) => ['tuple', ts] as CtyType),
    fc.uniqueArray(fc.tuple(keyArb, tie('type')), { maxLength: 4, selector: ([k]) => k }).chain((entries) => {
      const attrs = record<CtyType>(entries);
      const names = entries.map(([k]) => k);
      return fc
        .subarray(names)
        .map((optional): CtyType => (optional.length ? ['object', attrs, optional] : ['object', attrs]));
    }),
  ),
})).type;

/** Concrete types a Dynamic may carry: anything but the bare "dynamic" pseudo-type. */
const concreteTypeArb = typeArb.filter((t) => t !== 'dynamic');

const decimalTextArb = fc
  .tuple(
    fc.constantFrom('', '-'),
    fc.stringMatching(/^(0|[1-9][0-9]{0,40})$/),
    fc.option(fc.stringMatching(/^[0-9]{1,30}$/), { nil: undefined }),
    fc.option(fc.integer({ min: -400, max: 400 }), { nil: undefined }),
  )
  .map(
    ([sign, int, frac, exp]) =>
      `${sign}${int}${frac !== undefined ? `.${frac}` : ''}${exp !== undefined ? `e${exp}` : ''}`,
  );

export const numberArb: fc.Arbitrary<CtyValue> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0.1, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64, 1e100, 5e-324, Number.MAX_VALUE, -0),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.constantFrom(2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n + 1n),
  decimalTextArb.map((t) => new BigNumber(t)),
);

function refinementsArb(t: CtyType): fc.Arbitrary<Refinements> {
  const nullness = fc.option(fc.boolean(), { nil: undefined });
  if (t === 'string') {
    return fc.record(
      {
        nullness,
        stringPrefix: fc.option(fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), { nil: undefined }),
      },
      { requiredKeys: [] },
    );
  }
  if (t === 'number') {
    const bound = fc.tuple(
      fc.oneof(
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        decimalTextArb.map((x) => new BigNumber(x)),
      ),
      fc.boolean(),
    ) as fc.Arbitrary<[CtyValue, boolean]>;
    return fc.record({ nullness, numberLowerBound: bound, numberUpperBound: bound }, { requiredKeys: [] });
  }
  if (Array.isArray(t) && (t[0] === 'list' || t[0] === 'set' || t[0] === 'map')) {
    const len = fc.integer({ min: 1, max: 1000 });
    return fc.record({ nullness, lengthLowerBound: len, lengthUpperBound: len }, { requiredKeys: [] });
  }
  return fc.record({ nullness }, { requiredKeys: [] });
}

export function unknownArb(t: CtyType): fc.Arbitrary<CtyValue> {
  if (t === 'dynamic') return fc.constant(UNKNOWN);
  return fc.oneof(
    fc.constant(UNKNOWN),
    refinementsArb(t).map((r) => new Unknown(r)),
  );
}

/** A value of type t; `unknowns` allows unknown values anywhere a value may be unknown. */
export function valueArb(t: CtyType, unknowns: boolean, depth = 0): fc.Arbitrary<CtyValue> {
  const known = knownArb(t, unknowns, depth);
  const specials: fc.Arbitrary<CtyValue>[] = [fc.constant(null)];
  if (unknowns) specials.push(unknownArb(t));
  return fc.oneof({ weight: 6, arbitrary: known }, ...specials.map((arbitrary) => ({ weight: 1, arbitrary })));
}

function knownArb(t: CtyType, unknowns: boolean, depth: number): fc.Arbitrary<CtyValue> {
  switch (t) {
    case 'string':
      return fc.string({ unit: 'binary', maxLength: 12 });
    case 'bool':
      return fc.boolean();
    case 'number':
      return numberArb;
    case 'dynamic':
      if (depth > 2) return fc.constant(null);
      return concreteTypeArb.chain((ct) => valueArb(ct, unknowns, depth + 1).map((v) => new Dynamic(ct, v)));
  }
  switch (t[0]) {
    case 'list':
    case 'set':
      return fc.array(valueArb(t[1], unknowns, depth), { maxLength: 3 });
    case 'tuple':
      return fc.tuple(...t[1].map((et) => valueArb(et, unknowns, depth)));
    case 'map':
      return fc
        .uniqueArray(fc.tuple(keyArb, valueArb(t[1], unknowns, depth)), { maxLength: 3, selector: ([k]) => k })
        .map((entries) => record(entries));
    case 'object': {
      const attrs = t[1];
      const names = Object.keys(attrs);
      return fc
        .tuple(...names.map((n) => valueArb(attrs[n], unknowns, depth)))
        .map((vals) => record(names.map((n, i): [string, CtyValue] => [n, vals[i]])));
    }
  }
}

export const typedValueArb = (unknowns: boolean) =>
  typeArb.chain((type) => valueArb(type, unknowns).map((value) => ({ type, value })));
