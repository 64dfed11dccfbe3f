import { UNKNOWN, Unknown, record } from '../../../provider/protocol/cty/types';
import type { CtyObject, CtyValue } from '../../../provider/protocol/cty/types';
import { planChange, mergeApplied, completeObject } from '../../../provider/framework/plan';
import { validateConfig } from '../../../provider/framework/validate';
import { Diagnostics, toProtoDiagnostics, formatPath } from '../../../provider/framework/diagnostics';
import { toProtoSchema, blockType, checkSchema } from '../../../provider/framework/schema';
import type { Block } from '../../../provider/framework/schema';
import { intBetween, oneOf, parseDuration } from '../../../provider/framework/validators';

function obj(o: Record<string, CtyValue>): CtyObject {
  const out = record();
  for (const [k, v] of Object.entries(o)) out[k] = v;
  return out;
}

const block: Block = {
  attributes: {
    id: { type: 'string', computed: true, useStateForUnknown: true, description: 'id' },
    serial: { type: 'number', computed: true, description: 'changes on update' },
    name: { type: 'string', required: true, requiresReplace: true, description: 'name' },
    size: { type: 'number', optional: true, description: 'size', validators: [intBetween(1, 10)] },
    mode: { type: 'string', default: 'fast', description: 'mode', validators: [oneOf('fast', 'slow')] },
    mac: {
      type: 'string',
      optional: true,
      computed: true,
      useStateForUnknown: true,
      requiresReplace: true,
      description: 'mac',
    },
  },
  blocks: {
    rule: {
      nesting: 'list',
      block: {
        attributes: {
          port: { type: 'number', required: true, description: 'port', validators: [intBetween(1, 65535)] },
          proto: { type: 'string', default: 'tcp', description: 'proto' },
        },
      },
    },
  },
};

const config = (o: Record<string, CtyValue>) =>
  obj({ id: null, serial: null, name: null, size: null, mode: null, mac: null, rule: [], ...o });

describe('planChange', () => {
  it('on create applies defaults and marks unset computed attributes unknown', () => {
    const c = config({ name: 'a', rule: [obj({ port: 80, proto: null })] });
    const { planned, requiresReplace } = planChange(block, null, c, c);
    expect(planned.mode).toBe('fast');
    expect(planned.id).toBeInstanceOf(Unknown);
    expect(planned.serial).toBeInstanceOf(Unknown);
    expect(planned.mac).toBeInstanceOf(Unknown);
    expect((planned.rule as CtyObject[])[0].proto).toBe('tcp');
    expect(planned.name).toBe('a');
    expect(requiresReplace).toEqual([]);
  });

  const prior = obj({
    id: 'x1',
    serial: 3,
    name: 'a',
    size: 2,
    mode: 'fast',
    mac: '00:16:3e:00:00:01',
    rule: [obj({ port: 80, proto: 'tcp' })],
  });

  it('plans no change when config matches state (proposed carries computed values from prior)', () => {
    const c = config({ name: 'a', size: 2, rule: [obj({ port: 80, proto: null })] });
    const proposed = obj({ ...prior, rule: [obj({ port: 80, proto: null })] });
    const { planned, requiresReplace } = planChange(block, prior, proposed, c);
    expect(planned).toEqual(prior);
    expect(requiresReplace).toEqual([]);
  });

  it('on update keeps stable computed values and marks the others unknown', () => {
    const c = config({ name: 'a', size: 5, rule: [obj({ port: 80, proto: null })] });
    const proposed = obj({ ...prior, size: 5 });
    const { planned, requiresReplace } = planChange(block, prior, proposed, c);
    expect(planned.size).toBe(5);
    expect(planned.id).toBe('x1');
    expect(planned.mac).toBe('00:16:3e:00:00:01');
    expect(planned.serial).toBeInstanceOf(Unknown);
    expect(requiresReplace).toEqual([]);
  });

  it('reports the attribute path that forces replacement and makes every computed value unknown', () => {
    const c = config({ name: 'b', size: 2, rule: [obj({ port: 80, proto: null })] });
    const proposed = obj({ ...prior, name: 'b' });
    const { planned, requiresReplace } = planChange(block, prior, proposed, c);
    expect(requiresReplace).toEqual([[{ attr: 'name' }]]);
    expect(planned.id).toBeInstanceOf(Unknown);
    expect(planned.mac).toBeInstanceOf(Unknown);
  });

  it('does not replace when an unconfigured stable computed attribute keeps its value', () => {
    const c = config({ name: 'a', size: 3, rule: [obj({ port: 80, proto: null })] });
    const { requiresReplace } = planChange(block, prior, obj({ ...prior, size: 3 }), c);
    expect(requiresReplace).toEqual([]);
  });
});

describe('mergeApplied', () => {
  it('keeps planned spelling, fills unknowns and reports what stayed unknown', () => {
    const planned = obj({ a: '03:00.0', b: UNKNOWN, c: UNKNOWN, l: [obj({ x: UNKNOWN })] });
    const result = obj({ a: '0000:03:00.0', b: 'filled', c: UNKNOWN, l: [obj({ x: 1 })] });
    const missing: any[] = [];
    const merged = mergeApplied(planned, result, [], missing) as CtyObject;
    expect(merged.a).toBe('03:00.0');
    expect(merged.b).toBe('filled');
    expect(merged.c).toBeNull();
    expect((merged.l as CtyObject[])[0].x).toBe(1);
    expect(missing).toEqual([[{ attr: 'c' }]]);
  });

  it('completeObject gives absent blocks their empty value and absent attributes null', () => {
    const full = completeObject(block, obj({ name: 'n' }));
    expect(full.rule).toEqual([]);
    expect(full.size).toBeNull();
  });
});

describe('validateConfig', () => {
  it('reports each invalid value with its attribute path and what is valid', () => {
    const diags = new Diagnostics();
    validateConfig(
      block,
      config({ name: 'a', size: 99, mode: 'warp', rule: [obj({ port: 70000, proto: null })] }),
      diags,
    );
    const paths = diags.items.map((d) => formatPath(d.path!));
    expect(paths).toEqual(['size', 'mode', 'rule[0].port']);
    expect(diags.items[1].detail).toContain('"fast", "slow"');
    const proto = toProtoDiagnostics(diags.items) as any[];
    expect(proto[2].attribute.steps).toEqual([
      { attributeName: 'rule' },
      { elementKeyInt: 0 },
      { attributeName: 'port' },
    ]);
    expect(proto[0].severity).toBe(1);
  });

  it('skips unknown values (validated again once known)', () => {
    const diags = new Diagnostics();
    validateConfig(block, config({ name: 'a', size: UNKNOWN }), diags);
    expect(diags.items).toEqual([]);
  });
});

describe('schema', () => {
  it('emits tfplugin6 attributes with JSON type bytes, markdown descriptions and flags', () => {
    const s = toProtoSchema({ version: 2, block }) as any;
    expect(s.version).toBe(2);
    const mode = s.block.attributes.find((a: any) => a.name === 'mode');
    expect(JSON.parse(Buffer.from(mode.type).toString())).toBe('string');
    expect(mode).toMatchObject({ optional: true, computed: true, required: false, descriptionKind: 1 });
    expect(s.block.blockTypes[0]).toMatchObject({ typeName: 'rule', nesting: 2 });
    expect(blockType(block)).toEqual([
      'object',
      expect.objectContaining({ rule: ['list', ['object', { port: 'number', proto: 'string' }]] }),
    ]);
  });

  it('refuses a declaration Terraform would reject', () => {
    expect(() => checkSchema({ block: { attributes: { x: { type: 'string', description: 'x' } } } }, 't')).toThrow(
      /required, optional or computed/,
    );
    expect(() =>
      checkSchema({ block: { attributes: { X: { type: 'string', optional: true, description: 'x' } } } }, 't'),
    ).toThrow(/identifier/);
  });

  it('parses durations as Terraform users write them', () => {
    expect(parseDuration('30s')).toBe(30000);
    expect(parseDuration('1m30s')).toBe(90000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });
});
