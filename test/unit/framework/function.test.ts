// Provider-defined functions in the framework (declaration checks, GetProviderSchema/GetFunctions/CallFunction
// with FunctionError naming the argument), and the provider's three functions as pure functions.

import fc from 'fast-check';
import { decodeMsgpack, encodeMsgpack } from '../../../provider/protocol/cty';
import type { CtyValue } from '../../../provider/protocol/cty/types';
import { UNKNOWN } from '../../../provider/protocol/cty/types';
import {
  callFunction,
  checkFunction,
  FunctionArgumentError,
  toProtoFunction,
} from '../../../provider/framework/function';
import type { FunctionDefinition } from '../../../provider/framework/function';
import { createProviderServiceFor } from '../../../provider/framework/server';
import { bdfFunction, canonicalBdf } from '../../../provider/functions/bdf';
import { macFromSeed, macFunction } from '../../../provider/functions/mac';
import { seclabelFunction } from '../../../provider/functions/seclabel';
import { normalizeBdf as simNormalizeBdf } from '../../../provider/xen/sim/inventory';
import { checkFlaskLabel, checkMac } from '../../../provider/xen/validate';

const join: FunctionDefinition = {
  name: 'join_all',
  summary: 'Joins strings.',
  description: 'Joins a separator and strings.',
  parameters: [{ name: 'sep', type: 'string', description: 'separator' }],
  variadic: { name: 'parts', type: 'string', description: 'parts' },
  returnType: 'string',
  run([sep, ...parts]) {
    parts.forEach((p, i) => {
      if (p === '') throw new FunctionArgumentError(i + 1, 'parts must not be empty');
    });
    return parts.join(sep as string);
  },
};

const arg = (v: CtyValue) => ({ msgpack: encodeMsgpack(v, 'string') });
const result = (r: ReturnType<typeof callFunction>) => (r.result ? decodeMsgpack(r.result.msgpack, 'string') : r.error);

describe('framework', () => {
  test('arguments decode by parameter type, variadic ones included; FunctionArgumentError names the argument', () => {
    expect(result(callFunction(join, [arg('-'), arg('a'), arg('b')]))).toBe('a-b');
    expect(result(callFunction(join, [arg('-')]))).toBe('');
    expect(callFunction(join, [arg('-'), arg('a'), arg('')]).error).toEqual({
      text: 'parts must not be empty',
      functionArgument: 2,
    });
  });

  test('wrong arity, null, unknown and undecodable arguments are FunctionErrors, never exceptions', () => {
    expect(callFunction(join, []).error?.text).toMatch(/at least 1 argument/);
    expect(callFunction(bdfFunction, [arg('1:0.0'), arg('2:0.0')]).error?.text).toMatch(/exactly 1 argument, got 2/);
    expect(callFunction(bdfFunction, [{ msgpack: encodeMsgpack(null, 'string') }]).error).toEqual({
      text: 'address must not be null.',
      functionArgument: 0,
    });
    expect(callFunction(bdfFunction, [{ msgpack: encodeMsgpack(UNKNOWN, 'string') }]).error?.functionArgument).toBe(0);
    expect(callFunction(bdfFunction, [{ msgpack: new Uint8Array([0xc1, 0xff]) }]).error).toMatchObject({
      functionArgument: 0,
      text: expect.stringMatching(/could not be read/),
    });
    const boom: FunctionDefinition = {
      ...join,
      name: 'boom',
      run: () => {
        throw new Error('kaput');
      },
    };
    expect(callFunction(boom, [arg('-')]).error).toEqual({ text: 'boom failed: kaput' });
  });

  test('property: random bytes as arguments never throw', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 24 }), { maxLength: 3 }), (args) => {
        const r = callFunction(
          bdfFunction,
          args.map((msgpack) => ({ msgpack })),
        );
        expect(r.result !== undefined || r.error !== undefined).toBe(true);
      }),
    );
  });

  test('declarations are checked at start-up', () => {
    expect(() => checkFunction({ ...join, name: 'Bad-Name' })).toThrow(/lower-case identifier/);
    expect(() => checkFunction({ ...join, summary: '' })).toThrow(/summary/);
    expect(() => checkFunction({ ...join, variadic: { name: 'sep', type: 'string', description: 'x' } })).toThrow(
      /declared twice/,
    );
    expect(() =>
      createProviderServiceFor({
        typeName: 'x',
        schema: { block: { attributes: {} } },
        configure: async () => ({}),
        resources: [],
        dataSources: [],
        functions: [join, join],
      }),
    ).toThrow(/declared twice/);
  });

  test('the tfplugin6.Function message', () => {
    expect(toProtoFunction(join)).toEqual({
      parameters: [
        {
          name: 'sep',
          type: Buffer.from('"string"'),
          allowNullValue: false,
          allowUnknownValues: false,
          description: 'separator',
          descriptionKind: 1,
        },
      ],
      variadicParameter: {
        name: 'parts',
        type: Buffer.from('"string"'),
        allowNullValue: false,
        allowUnknownValues: false,
        description: 'parts',
        descriptionKind: 1,
      },
      return: { type: Buffer.from('"string"') },
      summary: 'Joins strings.',
      description: 'Joins a separator and strings.',
      descriptionKind: 1,
      deprecationMessage: '',
    });
  });

  test('GetProviderSchema and GetFunctions list the functions; CallFunction dispatches by name', async () => {
    const svc = createProviderServiceFor({
      typeName: 'x',
      schema: { block: { attributes: {} } },
      configure: async () => ({}),
      resources: [],
      dataSources: [],
      functions: [join],
    });
    const ctx = { signal: new AbortController().signal };
    const schema = await svc.handlers.GetProviderSchema({}, ctx);
    expect(Object.keys(schema.functions ?? {})).toEqual(['join_all']);
    expect(Object.keys((await svc.handlers.GetFunctions({}, ctx)).functions ?? {})).toEqual(['join_all']);
    expect((await svc.handlers.GetMetadata({}, ctx)).functions).toEqual([{ name: 'join_all' }]);
    const r = await svc.handlers.CallFunction({ name: 'join_all', arguments: [arg('+'), arg('x'), arg('y')] }, ctx);
    expect(decodeMsgpack(r.result!.msgpack!, 'string')).toBe('x+y');
    expect((await svc.handlers.CallFunction({ name: 'nope', arguments: [] }, ctx)).error?.text).toMatch(
      /no function "nope".*join_all/,
    );
  });
});

describe('provider::xen::bdf', () => {
  test.each([
    ['3:0.0', '0000:03:00.0'],
    ['03:00.0', '0000:03:00.0'],
    ['0000:03:00.0', '0000:03:00.0'],
    ['1:3:1f.7', '0001:03:1f.7'],
    ['00:1F.2', '0000:00:1f.2'],
    [' 3:0.0 ', '0000:03:00.0'],
    ['ABCD:EF:1a.1', 'abcd:ef:1a.1'],
  ])('%s -> %s', (input, want) => {
    expect(bdfFunction.run([input])).toBe(want);
  });

  test.each([['3:0.9'], ['3:20.0'], ['03:00'], ['x'], [''], ['00000:03:00.0'], ['3:0.0,permissive=1']])(
    '%j is refused, naming the address argument',
    (input) => {
      expect(() => bdfFunction.run([input])).toThrow(FunctionArgumentError);
      try {
        bdfFunction.run([input]);
      } catch (e) {
        expect((e as FunctionArgumentError).index).toBe(0);
        expect((e as Error).message).toMatch(/PCI (address|slot)/);
      }
    },
  );

  test("property: agrees with the simulated host's (libxl-like) normalisation and is idempotent", () => {
    // Any width up to the field's, either case, as libxl's parser takes them.
    const hex = (max: number, w: number) =>
      fc.tuple(fc.integer({ min: 0, max }), fc.integer({ min: 1, max: w }), fc.boolean()).map(([n, pad, upper]) => {
        const t = n.toString(16).padStart(pad, '0');
        return upper ? t.toUpperCase() : t;
      });
    fc.assert(
      fc.property(
        fc.option(hex(0xffff, 4), { nil: undefined }),
        hex(0xff, 2),
        hex(0x1f, 2),
        fc.integer({ min: 0, max: 7 }),
        (d, b, s, f) => {
          const text = `${d !== undefined ? `${d}:` : ''}${b}:${s}.${f}`;
          const got = canonicalBdf(text);
          expect(got).toEqual({ bdf: simNormalizeBdf(text) });
          expect(canonicalBdf((got as { bdf: string }).bdf)).toEqual(got);
        },
      ),
    );
  });
});

describe('provider::xen::mac', () => {
  test('stable, unicast, in 00:16:3e with the fourth octet below 0x80', () => {
    expect(macFunction.run(['web/0'])).toBe(macFromSeed('web/0'));
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (seed) => {
        const mac = macFromSeed(seed);
        expect(mac).toMatch(/^00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$/);
        expect(checkMac(mac)).toBeUndefined();
        expect(macFromSeed(seed)).toBe(mac);
      }),
    );
    expect(macFromSeed('web/0')).not.toBe(macFromSeed('web/1'));
  });

  test('an empty seed is refused, naming the seed argument', () => {
    expect(() => macFunction.run([''])).toThrow(
      expect.objectContaining({ index: 0, message: expect.stringMatching(/seed must not be empty/) }),
    );
  });
});

describe('provider::xen::seclabel', () => {
  test('builds a context libxl accepts', () => {
    expect(seclabelFunction.run(['domU_t'])).toBe('system_u:system_r:domU_t');
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_]{1,128}$/), (t) => {
        expect(checkFlaskLabel(seclabelFunction.run([t]) as string)).toBeUndefined();
      }),
    );
  });

  test.each([
    ['system_u:system_r:domU_t', /already looks like a full context/],
    ['dom U', /not a FLASK type name/],
    ['', /not a FLASK type name/],
    ['x'.repeat(129), /not a FLASK type name/],
  ])('%j is refused with a message saying why', (input, why) => {
    expect(() => seclabelFunction.run([input])).toThrow(
      expect.objectContaining({ index: 0, message: expect.stringMatching(why) }),
    );
  });
});
