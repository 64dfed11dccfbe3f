// The data-source RPCs: validation and read.

import { completeObject } from './plan';
import { validateConfig } from './validate';
import { asObject, decodeDynamic, dynamic } from './runtime';
import type { Runtime } from './runtime';
import type { RpcHandlers } from './rpc';

export function dataSourceHandlers<Meta>(
  rt: Runtime<Meta>,
): Required<Pick<RpcHandlers, 'ValidateDataResourceConfig' | 'ReadDataSource'>> {
  return {
    async ValidateDataResourceConfig(req, ctx) {
      return rt.guarded('ValidateDataResourceConfig', ctx, async (diags) => {
        const d = rt.dataSourceFor(req.typeName ?? '');
        const config = asObject(decodeDynamic(req.config, rt.typeOf(d.schema)));
        if (config) {
          validateConfig(d.schema.block, config, diags);
          d.validate?.({ config, diags });
        }
        return {};
      });
    },

    async ReadDataSource(req, ctx) {
      return rt.guarded('ReadDataSource', ctx, async (diags, signal) => {
        const d = rt.dataSourceFor(req.typeName ?? '');
        const type = rt.typeOf(d.schema);
        const config = asObject(decodeDynamic(req.config, type));
        if (!config) throw new Error(`ReadDataSource for ${d.typeName} received no configuration.`);
        const found = await d.read({
          config,
          meta: await rt.configuredMeta(),
          diags,
          signal,
          log: rt.logFor('data_source', d.typeName),
        });
        const state = completeObject(d.schema.block, found);
        rt.checkWhollyKnown(state, `The data source ${d.typeName}`, diags);
        return { state: dynamic(diags.hasErrors ? null : state, type) };
      });
    },
  };
}
