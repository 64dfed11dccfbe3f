// Resources and data sources written against their typed model: the framework decodes the request's values into
// Model<typeof schema> before calling them and encodes what they report back (model.ts), as terraform-plugin-framework
// does with req.Config.Get / resp.State.Set. What they read and write is then checked by the compiler.

import type { Block, Schema } from './schema';
import type { CtyObject } from '../protocol/cty/types';
import type { ApplyContext, BaseContext, DataSourceType, ReadContext, ResourceType, ValidateContext } from './resource';
import { decode, encode, type Model, type Reported } from './model';

type Declared = Schema & { block: Block };

export interface TypedDataSource<Meta, S extends Declared> {
  typeName: string;
  schema: S;
  /** `config`: the configuration decoded (unknown values undefined); `raw` is it as it came, for unknownAt. */
  validate?(ctx: Omit<ValidateContext, 'config'> & { config: Model<S>; raw: ValidateContext['config'] }): void;
  /** Every attribute is reported: one the result leaves out is null (a data source has no state to keep it from). */
  read(ctx: BaseContext<Meta> & { config: Model<S> }): Promise<Reported<Model<S>>>;
}

/** The DataSourceType of a data source written against its model. */
export function typedDataSource<Meta, S extends Declared>(d: TypedDataSource<Meta, S>): DataSourceType<Meta> {
  const block: S['block'] = d.schema.block;
  const validate = d.validate;
  return {
    typeName: d.typeName,
    schema: d.schema,
    ...(validate ? { validate: (ctx: ValidateContext) => validate({ diags: ctx.diags, config: decode<S['block']>(block, ctx.config), raw: ctx.config }) } : {}),
    read: async (ctx) => encode(block, await d.read({ ...ctx, config: decode<S['block']>(block, ctx.config) })),
  };
}

/** A managed resource written against its model; plan modification stays on the raw plan (it sets unknowns). */
export interface TypedResource<Meta, S extends Declared> extends Pick<ResourceType<Meta>, 'modifyPlan' | 'upgradeState'> {
  typeName: string;
  schema: S;
  validate?(ctx: Omit<ValidateContext, 'config'> & { config: Model<S>; raw: ValidateContext['config'] }): void;
  /** What it reports is merged over the plan: an attribute left out keeps its planned value. */
  create(ctx: ApplyContext<Meta> & { model: { planned: Model<S>; config: Model<S> } }): Promise<Reported<Model<S>>>;
  /** Merged over the prior state; null when the object is gone. */
  read(ctx: ReadContext<Meta> & { model: Model<S> }): Promise<Reported<Model<S>> | null>;
  /** Merged over the plan. */
  update(ctx: ApplyContext<Meta> & { prior: CtyObject; model: { planned: Model<S>; prior: Model<S>; config: Model<S> } }): Promise<Reported<Model<S>>>;
  delete(ctx: BaseContext<Meta> & { prior: CtyObject; model: Model<S> }): Promise<void>;
  /** Every attribute it leaves out is null (there is nothing to merge over yet). */
  importState?(id: string, ctx: BaseContext<Meta>): Promise<Reported<Model<S>>>;
  noteStored?(state: Model<S>, ctx: BaseContext<Meta>): Promise<void>;
}

/**
 * The ResourceType of a resource written against its model: requests decoded into it, results encoded back over the
 * plan or state (the one place where "what the host cannot report keeps what Terraform had" happens).
 */
export function typedResource<Meta, S extends Declared>(r: TypedResource<Meta, S>): ResourceType<Meta> {
  const block: S['block'] = r.schema.block;
  const model = (v: CtyObject): Model<S> => decode<S['block']>(block, v);
  const { validate, importState, noteStored } = r;
  return {
    typeName: r.typeName,
    schema: r.schema,
    ...(r.modifyPlan ? { modifyPlan: r.modifyPlan } : {}),
    ...(r.upgradeState ? { upgradeState: r.upgradeState } : {}),
    ...(validate ? { validate: (ctx: ValidateContext) => validate({ diags: ctx.diags, config: model(ctx.config), raw: ctx.config }) } : {}),
    create: async (ctx) => encode(block, await r.create({ ...ctx, model: { planned: model(ctx.planned), config: model(ctx.config) } }), ctx.planned),
    async read(ctx) {
      const found = await r.read({ ...ctx, model: model(ctx.state) });
      return found && encode(block, found, ctx.state);
    },
    update: async (ctx) => encode(block, await r.update({ ...ctx, model: { planned: model(ctx.planned), prior: model(ctx.prior), config: model(ctx.config) } }), ctx.planned),
    delete: (ctx) => r.delete({ ...ctx, model: model(ctx.prior) }),
    ...(importState ? { importState: async (id: string, ctx: BaseContext<Meta>) => encode(block, await importState(id, ctx)) } : {}),
    ...(noteStored ? { noteStored: (state: CtyObject, ctx: BaseContext<Meta>) => noteStored(model(state), ctx) } : {}),
  };
}
