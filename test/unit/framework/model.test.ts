// Typed models: what a declaration decodes into and encodes back from. The @ts-expect-error lines are checked by
// `npm run typecheck`: a misspelt attribute must not compile.

import { attributes, decode, encode, schema, unknownAt, type Model } from '../../../provider/framework/model';
import { oneOf } from '../../../provider/framework/validators';
import { BigNumber, UNKNOWN, record } from '../../../provider/protocol/cty/types';
import type { CtyObject, CtyValue } from '../../../provider/protocol/cty/types';

const s = schema({
  block: {
    attributes: attributes({
      name: { type: 'string', required: true, description: 'n', validators: [oneOf('a', 'b')] },
      size: { type: 'number', optional: true, description: 's' },
      tags: { type: ['list', 'string'], optional: true, description: 't' },
      id: { type: 'string', computed: true, description: 'i' },
    }),
    blocks: {
      disk: {
        nesting: 'list',
        block: {
          attributes: {
            vdev: { type: 'string', required: true, description: 'v' },
            ro: { type: 'bool', default: false, description: 'r' },
          },
        },
      },
      dm: { nesting: 'single', block: { attributes: { stub: { type: 'bool', required: true, description: 'st' } } } },
    },
  },
});
type M = Model<typeof s>;

const obj = (entries: Record<string, CtyValue>): CtyObject => Object.assign(record(), entries);

test('decodes known values into the model and leaves null and unknown out', () => {
  const m: M = decode(
    s.block,
    obj({
      name: 'a',
      size: new BigNumber('12'),
      tags: ['x', UNKNOWN, 'y'],
      id: UNKNOWN,
      disk: [obj({ vdev: 'xvda', ro: true }), UNKNOWN],
      dm: null,
    }),
  );
  expect(m).toEqual({ name: 'a', size: 12, tags: ['x', 'y'], disk: [{ vdev: 'xvda', ro: true }] });
  const vdev: string | undefined = m.disk?.[0].vdev;
  expect(vdev).toBe('xvda');
  // @ts-expect-error a misspelt attribute is a compile error
  expect(m.nmae).toBeUndefined();
});

test('encodes every attribute, taking those the model leaves out from the base', () => {
  const base = obj({ name: 'a', size: 3, tags: null, id: 'kept', disk: [], dm: obj({ stub: true }) });
  const v = encode(s.block, { name: 'b', size: null, disk: [{ vdev: 'xvdb' }] }, base);
  expect({ ...v }).toEqual({
    name: 'b',
    size: null,
    tags: null,
    id: 'kept',
    disk: [{ ...record(), vdev: 'xvdb', ro: null }],
    dm: base.dm,
  });
  expect(Object.getPrototypeOf(v)).toBeNull();
  expect(Object.getPrototypeOf((v.disk as CtyObject[])[0])).toBeNull();
  // @ts-expect-error a misspelt attribute is a compile error
  encode(s.block, { nmae: 'x' });
});

test('encodes without a base as the framework completes a state: null attributes, empty list blocks', () => {
  const v = encode(s.block, { name: 'a' });
  expect({ ...v }).toEqual({ name: 'a', size: null, tags: null, id: null, disk: [], dm: null });
});

test('tells an unknown value from a null one when a check needs to', () => {
  const v = obj({ name: 'a', size: UNKNOWN, tags: null });
  expect(unknownAt(s.block, v, 'size')).toBe(true);
  expect(unknownAt(s.block, v, 'tags')).toBe(false);
});
