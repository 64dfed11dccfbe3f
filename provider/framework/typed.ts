// Resources and data sources written against their typed model: the framework decodes the request's values into
// Model<typeof schema> before calling them and encodes what they report back (model.ts), as terraform-plugin-framework
// does with req.Config.Get / resp.State.Set. What they read and write is then checked by the compiler.

import type { Block, Schema } from './schema';
import type { BaseContext, DataSourceType, ValidateContext } from './resource';
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
