// Write-only attributes in the framework: where they may be declared, that plan and state never hold them (while the
// resource still gets them from the configuration), and that a client without the capability is refused.

import { decodeMsgpack, encodeMsgpack } from '../../../provider/protocol/cty';
import { UNKNOWN, record } from '../../../provider/protocol/cty/types';
import type { CtyObject, CtyValue } from '../../../provider/protocol/cty/types';
import { createProviderServiceFor } from '../../../provider/framework/server';
import { blockType, checkSchema, toProtoSchema } from '../../../provider/framework/schema';
import type { Block } from '../../../provider/framework/schema';
import type { ResourceType } from '../../../provider/framework/resource';
import { withoutWriteOnly, writeOnlyPathsSet, hasWriteOnly } from '../../../provider/framework/write_only';

function obj(o: Record<string, CtyValue>): CtyObject {
  return record<CtyValue>(Object.entries(o));
}

const block: Block = {
  attributes: {
    id: { type: 'string', computed: true, description: 'id' },
    name: { type: 'string', required: true, requiresReplace: true, description: 'name' },
    token_wo: { type: 'string', optional: true, writeOnly: true, sensitive: true, description: 'secret' },
    tags: {
      nested: {
        nesting: 'map',
        attributes: {
          key_wo: { type: 'string', optional: true, writeOnly: true, description: 'k' },
          v: { type: 'string', optional: true, description: 'v' },
        },
      },
      optional: true,
      description: 'tags',
    },
  },
  blocks: {
    vnc: {
      nesting: 'single',
      requiresReplace: true,
      block: {
        attributes: {
          listen: { type: 'string', optional: true, description: 'l' },
          password_wo: { type: 'string', optional: true, writeOnly: true, description: 'p' },
          version: { type: 'number', optional: true, description: 'v' },
        },
      },
    },
    extra: {
      nesting: 'list',
      block: { attributes: { pin_wo: { type: 'string', optional: true, writeOnly: true, description: 'p' } } },
    },
  },
};
const TYPE = blockType(block);

const value = (over: Record<string, CtyValue> = {}) =>
  obj({
    id: null,
    name: 'a',
    token_wo: 't0ken',
    tags: obj({ x: obj({ key_wo: 'k3y', v: 'vv' }) }),
    vnc: obj({ listen: '127.0.0.1', password_wo: 'pw', version: 1 }),
    extra: [obj({ pin_wo: '1234' })],
    ...over,
  });

describe('declaration', () => {
  test('allowed in resources only, and never computed, defaulted, requiresReplace or inside a set', () => {
    const s = (a: Record<string, unknown>, extra: Partial<Block> = {}) => ({
      block: {
        attributes: { x: { type: 'string', description: 'x', optional: true, writeOnly: true, ...a } },
        ...extra,
      } as Block,
    });
    expect(() => checkSchema(s({}), 'r', { writeOnly: true })).not.toThrow();
    expect(() => checkSchema(s({}), 'data source')).toThrow(/managed resources only/);
    for (const bad of [{ computed: true }, { default: 'd' }, { requiresReplace: true }, { useStateForUnknown: true }]) {
      expect(() => checkSchema(s(bad), 'r', { writeOnly: true })).toThrow(/cannot be computed, defaulted/);
    }
    const inSet: Block = {
      attributes: {},
      blocks: {
        b: {
          nesting: 'set',
          block: { attributes: { p: { type: 'string', optional: true, writeOnly: true, description: 'p' } } },
        },
      },
    };
    expect(() => checkSchema({ block: inSet }, 'r', { writeOnly: true })).toThrow(/inside a set/);
  });

  test('the schema message says write_only', () => {
    const proto = toProtoSchema({ block }) as any;
    const attrs = Object.fromEntries(proto.block.attributes.map((a: any) => [a.name, a.writeOnly]));
    expect(attrs).toEqual({ id: false, name: false, tags: false, token_wo: true });
    const vnc = proto.block.blockTypes.find((b: any) => b.typeName === 'vnc');
    expect(vnc.block.attributes.find((a: any) => a.name === 'password_wo').writeOnly).toBe(true);
  });
});

describe('scrubbing', () => {
  test('every write-only attribute at every depth becomes null; nothing else changes', () => {
    const v = value();
    const out = withoutWriteOnly(block, v);
    expect(out).toEqual(
      value({
        token_wo: null,
        tags: obj({ x: obj({ key_wo: null, v: 'vv' }) }),
        vnc: obj({ listen: '127.0.0.1', password_wo: null, version: 1 }),
        extra: [obj({ pin_wo: null })],
      }),
    );
    expect(v.token_wo).toBe('t0ken'); // a copy: the configuration keeps its values
    expect(JSON.stringify(out)).not.toMatch(/t0ken|k3y|"pw"|1234/);
    expect(withoutWriteOnly(block, value({ vnc: null, extra: UNKNOWN }))).toMatchObject({ vnc: null, extra: UNKNOWN });
  });

  test('paths of write-only values the configuration sets, unknown ones included', () => {
    const paths = writeOnlyPathsSet(block, value({ token_wo: UNKNOWN }));
    expect(paths).toEqual([
      [{ attr: 'token_wo' }],
      [{ attr: 'tags' }, { key: 'x' }, { attr: 'key_wo' }],
      [{ attr: 'vnc' }, { attr: 'password_wo' }],
      [{ attr: 'extra' }, { index: 0 }, { attr: 'pin_wo' }],
    ]);
    expect(writeOnlyPathsSet(block, withoutWriteOnly(block, value()))).toEqual([]);
    expect(hasWriteOnly(block)).toBe(true);
    expect(hasWriteOnly({ attributes: { a: { type: 'string', optional: true, description: 'a' } } })).toBe(false);
  });
});

describe('through the RPC handlers', () => {
  const seen: Record<string, unknown> = {};
  const resource: ResourceType<unknown> = {
    typeName: 't_secret',
    schema: { block },
    modifyPlan(ctx) {
      seen.planConfigToken = ctx.config.token_wo;
      seen.plannedToken = ctx.planned.token_wo;
    },
    async create(ctx) {
      seen.createConfigToken = ctx.config.token_wo;
      seen.createPlannedToken = ctx.planned.token_wo;
      // A careless resource echoing the secret back must not get it into state.
      return { ...ctx.planned, id: 'i', token_wo: ctx.config.token_wo };
    },
    read: async (ctx) => ({ ...ctx.state, token_wo: 'leaked' }),
    update: async (ctx) => ctx.planned,
    delete: async () => undefined,
  };
  const svc = createProviderServiceFor({
    typeName: 't',
    schema: { block: { attributes: {} } },
    configure: async () => ({}),
    resources: [resource],
    dataSources: [],
  });
  const ctx = { signal: new AbortController().signal };
  const mp = (v: CtyValue) => ({ msgpack: encodeMsgpack(v, TYPE) });
  beforeAll(async () => {
    await svc.handlers.ConfigureProvider({ config: { msgpack: encodeMsgpack(record(), ['object', {}]) } }, ctx);
  });
  const dec = (dv: any) => decodeMsgpack(dv.msgpack, TYPE) as CtyObject;

  test('ValidateResourceConfig refuses set write-only values when the client does not announce the capability', async () => {
    const old = await svc.handlers.ValidateResourceConfig({ typeName: 't_secret', config: mp(value()) }, ctx);
    expect(
      old.diagnostics!.map((d: any) => [
        d.summary,
        d.attribute.steps.map((s: any) => s.attributeName ?? s.elementKeyString ?? s.elementKeyInt).join('.'),
      ]),
    ).toEqual([
      ['Write-only attribute needs Terraform 1.11 or later', 'token_wo'],
      ['Write-only attribute needs Terraform 1.11 or later', 'tags.x.key_wo'],
      ['Write-only attribute needs Terraform 1.11 or later', 'vnc.password_wo'],
      ['Write-only attribute needs Terraform 1.11 or later', 'extra.0.pin_wo'],
    ]);
    expect(old.diagnostics![0].detail).not.toContain('t0ken');
    const ok = await svc.handlers.ValidateResourceConfig(
      { typeName: 't_secret', config: mp(value()), clientCapabilities: { writeOnlyAttributesAllowed: true } },
      ctx,
    );
    expect(ok.diagnostics).toEqual([]);
    const unset = withoutWriteOnly(block, value());
    expect(
      (await svc.handlers.ValidateResourceConfig({ typeName: 't_secret', config: mp(unset) }, ctx)).diagnostics,
    ).toEqual([]);
  });

  test('plan: planned state holds null, the hook still sees the configured value; a block holding one never looks changed', async () => {
    const config = value();
    const plan = await svc.handlers.PlanResourceChange(
      { typeName: 't_secret', priorState: mp(null), proposedNewState: mp(config), config: mp(config) },
      ctx,
    );
    const planned = dec(plan.plannedState);
    expect(seen).toMatchObject({ planConfigToken: 't0ken', plannedToken: null });
    expect(planned).toMatchObject({ token_wo: null, vnc: obj({ listen: '127.0.0.1', password_wo: null, version: 1 }) });

    const apply = await svc.handlers.ApplyResourceChange(
      { typeName: 't_secret', priorState: mp(null), plannedState: plan.plannedState, config: mp(config) },
      ctx,
    );
    expect(apply.diagnostics).toEqual([]);
    expect(seen).toMatchObject({ createConfigToken: 't0ken', createPlannedToken: null });
    const state = dec(apply.newState);
    expect(state.token_wo).toBeNull();
    expect(JSON.stringify(state)).not.toMatch(/t0ken|k3y|"pw"|1234/);

    // The next plan: prior state has null, config the value again; no change, in particular no replacement by vnc.
    // (Terraform's proposed new state: the configuration, with prior values for computed attributes it leaves unset.)
    const again = await svc.handlers.PlanResourceChange(
      { typeName: 't_secret', priorState: mp(state), proposedNewState: mp(value({ id: 'i' })), config: mp(config) },
      ctx,
    );
    expect(again.requiresReplace).toEqual([]);
    expect(dec(again.plannedState)).toEqual(state);
  });

  test('read and import never return one', async () => {
    const state = withoutWriteOnly(block, value({ id: 'i' }));
    const read = await svc.handlers.ReadResource({ typeName: 't_secret', currentState: mp(state) }, ctx);
    expect(dec(read.newState).token_wo).toBeNull();
  });
});
