// The provider-wide RPCs: what the provider declares (metadata, schemas, functions), its own configuration, and
// StopProvider.

import type { tfplugin6 } from '../protocol/generated/protocol';
import { callFunction, toProtoFunction } from './function';
import { toProtoSchema } from './schema';
import type { Schema } from './schema';
import { validateConfig } from './validate';
import { asObject, decodeDynamic } from './runtime';
import type { Runtime } from './runtime';
import type { RpcHandlers } from './rpc';

type ProviderRpc =
  | 'GetMetadata'
  | 'GetProviderSchema'
  | 'GetResourceIdentitySchemas'
  | 'GetFunctions'
  | 'CallFunction'
  | 'ValidateProviderConfig'
  | 'ConfigureProvider'
  | 'StopProvider';

const SERVER_CAPABILITIES: tfplugin6.IServerCapabilities = {
  planDestroy: true,
  getProviderSchemaOptional: true,
  moveResourceState: false,
};

function schemasByName<T extends { schema: Schema }>(m: ReadonlyMap<string, T>): Record<string, tfplugin6.ISchema> {
  const out: Record<string, tfplugin6.ISchema> = {};
  for (const [name, v] of m) out[name] = toProtoSchema(v.schema);
  return out;
}

export function providerHandlers<Meta>(rt: Runtime<Meta>): Required<Pick<RpcHandlers, ProviderRpc>> {
  const { def, resources, dataSources, functions, logger } = rt;
  const protoFunctions = (): Record<string, tfplugin6.IFunction> =>
    Object.fromEntries([...functions].map(([n, f]) => [n, toProtoFunction(f)]));

  return {
    async GetMetadata(_req, ctx) {
      return rt.guarded('GetMetadata', ctx, async () => ({
        serverCapabilities: SERVER_CAPABILITIES,
        resources: [...resources.keys()].map((typeName) => ({ typeName })),
        dataSources: [...dataSources.keys()].map((typeName) => ({ typeName })),
        functions: [...functions.keys()].map((name) => ({ name })),
        ephemeralResources: [],
      }));
    },

    async GetProviderSchema(_req, ctx) {
      return rt.guarded('GetProviderSchema', ctx, async () => ({
        provider: toProtoSchema(def.schema),
        resourceSchemas: schemasByName(resources),
        dataSourceSchemas: schemasByName(dataSources),
        functions: protoFunctions(),
        ephemeralResourceSchemas: {},
        serverCapabilities: SERVER_CAPABILITIES,
      }));
    },

    async GetResourceIdentitySchemas(_req, ctx) {
      return rt.guarded('GetResourceIdentitySchemas', ctx, async () => ({ identitySchemas: {} }));
    },

    async GetFunctions(_req, ctx) {
      return rt.guarded('GetFunctions', ctx, async () => ({ functions: protoFunctions() }));
    },

    // Not guarded: a function's failure is its response's `error`, which has no diagnostics.
    async CallFunction(req) {
      const name = String(req?.name ?? '');
      const f = functions.get(name);
      if (!f) {
        return {
          error: {
            text: `This provider has no function ${JSON.stringify(name)}. Its functions: ${[...functions.keys()].join(', ') || 'none'}.`,
          },
        };
      }
      const started = Date.now();
      const out = callFunction(f, req?.arguments ?? []);
      logger.trace('rpc done', {
        rpc: 'CallFunction',
        function: name,
        ms: Date.now() - started,
        error: out.error ? true : undefined,
      });
      return out;
    },

    async ValidateProviderConfig(req, ctx) {
      return rt.guarded('ValidateProviderConfig', ctx, async (diags) => {
        const config = asObject(decodeDynamic(req.config, rt.typeOf(def.schema)));
        if (config) {
          validateConfig(def.schema.block, config, diags);
          def.validate?.({ config, diags });
        }
        return {};
      });
    },

    async ConfigureProvider(req, ctx) {
      return rt.guarded('ConfigureProvider', ctx, async (diags) => {
        const config = asObject(decodeDynamic(req.config, rt.typeOf(def.schema)));
        if (!config) throw new Error('ConfigureProvider received no configuration.');
        await rt.configure(() => def.configure(config, { diags, log: logger }));
        return {};
      });
    },

    async StopProvider() {
      // Every in-flight call sees its signal abort; later calls get a fresh controller.
      rt.stop();
      return { Error: '' };
    },
  };
}
