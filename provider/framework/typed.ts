// Resources and data sources written against their typed model: the framework decodes the request's values into
// Model<typeof schema> before calling them and encodes what they report back (model.ts), as terraform-plugin-framework
// does with req.Config.Get / resp.State.Set. What they read and write is then checked by the compiler.

import type { Block, Schema } from './schema';
import type { CtyObject } from '../protocol/cty/types';
import type { ApplyContext, BaseContext, DataSourceType, ReadContext, ResourceType, ValidateContext } from './resource';
import { PartialApplyError } from './resource';
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
    ...(validate
      ? {
          validate: (ctx: ValidateContext) =>
            validate({ diags: ctx.diags, config: decode<S['block']>(block, ctx.config), raw: ctx.config }),
        }
      : {}),
    read: async (ctx) => encode(block, await d.read({ ...ctx, config: decode<S['block']>(block, ctx.config) })),
  };
}

/**
 * What a resource written against model M implements: its validation and lifecycle, each given the request decoded
 * into M. TypedResource has it with M = Model<typeof schema>; lifecycles shared by several resources (each with its own
 * schema) are typed with it too.
 */
export interface ModelResource<Meta, M> {
  /** `config`: the configuration decoded (unknown values undefined); `raw` is it as it came, for unknownAt. */
  validate?(ctx: Omit<ValidateContext, 'config'> & { config: M; raw: ValidateContext['config'] }): void;
  /** What it reports is merged over the plan: an attribute left out keeps its planned value. */
  create(ctx: ApplyContext<Meta> & { model: { planned: M; config: M } }): Promise<Reported<M>>;
  /** Merged over the prior state; null when the object is gone. */
  read(ctx: ReadContext<Meta> & { model: M }): Promise<Reported<M> | null>;
  /** Merged over the plan. */
  update(
    ctx: ApplyContext<Meta> & { prior: CtyObject; model: { planned: M; prior: M; config: M } },
  ): Promise<Reported<M>>;
  delete(ctx: BaseContext<Meta> & { prior: CtyObject; model: M }): Promise<void>;
  /** Every attribute it leaves out is null (there is nothing to merge over yet). */
  importState?(id: string, ctx: BaseContext<Meta>): Promise<Reported<M>>;
  noteStored?(state: M, ctx: BaseContext<Meta>): Promise<void>;
}

/** A managed resource written against its model; plan modification stays on the raw plan (it sets unknowns). */
export interface TypedResource<Meta, S extends Declared>
  extends Pick<ResourceType<Meta>, 'modifyPlan' | 'upgradeState'>, ModelResource<Meta, Model<S>> {
  typeName: string;
  schema: S;
}

/**
 * Thrown from a typed create or update when part of the change already exists (PartialApplyError's case): what it
 * reports is merged over the plan like a result, and saved so that nothing is orphaned.
 */
export class TypedPartialApplyError<M> extends Error {
  constructor(
    override readonly cause: unknown,
    readonly reported: Reported<M>,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * The ResourceType of a resource written against its model: requests decoded into it, results encoded back over the
 * plan or state (the one place where "what the host cannot report keeps what Terraform had" happens).
 */
export function typedResource<Meta, S extends Declared>(r: TypedResource<Meta, S>): ResourceType<Meta> {
  const block: S['block'] = r.schema.block;
  const model = (v: CtyObject): Model<S> => decode<S['block']>(block, v);
  const { validate, importState, noteStored } = r;
  /** A create's or update's result, or the part of it that was done, encoded over the plan. */
  const overPlan = async (planned: CtyObject, apply: () => Promise<Reported<Model<S>>>): Promise<CtyObject> => {
    try {
      return encode(block, await apply(), planned);
    } catch (err) {
      if (err instanceof TypedPartialApplyError)
        throw new PartialApplyError(err.cause, encode(block, err.reported as Reported<Model<S>>, planned));
      throw err;
    }
  };
  return {
    typeName: r.typeName,
    schema: r.schema,
    ...(r.modifyPlan ? { modifyPlan: r.modifyPlan } : {}),
    ...(r.upgradeState ? { upgradeState: r.upgradeState } : {}),
    ...(validate
      ? {
          validate: (ctx: ValidateContext) =>
            validate({ diags: ctx.diags, config: model(ctx.config), raw: ctx.config }),
        }
      : {}),
    create: (ctx) =>
      overPlan(ctx.planned, () =>
        r.create({ ...ctx, model: { planned: model(ctx.planned), config: model(ctx.config) } }),
      ),
    async read(ctx) {
      const found = await r.read({ ...ctx, model: model(ctx.state) });
      return found && encode(block, found, ctx.state);
    },
    update: (ctx) =>
      overPlan(ctx.planned, () =>
        r.update({
          ...ctx,
          model: { planned: model(ctx.planned), prior: model(ctx.prior), config: model(ctx.config) },
        }),
      ),
    delete: (ctx) => r.delete({ ...ctx, model: model(ctx.prior) }),
    ...(importState
      ? { importState: async (id: string, ctx: BaseContext<Meta>) => encode(block, await importState(id, ctx)) }
      : {}),
    ...(noteStored ? { noteStored: (state: CtyObject, ctx: BaseContext<Meta>) => noteStored(model(state), ctx) } : {}),
  };
}
