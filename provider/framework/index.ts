// The contract between the gRPC transport (provider/plugin) and the framework. The transport decodes each
// tfplugin6.Provider request with the generated protobufjs code and calls the handler of the same name (PascalCase
// RPC name); the handler returns a plain object shaped like the generated I<Rpc>.Response interface, which the
// transport encodes. A missing handler answers UNIMPLEMENTED.

import type { ProviderHandlers, ProviderService } from './rpc';
import type { ProviderDefinition } from './resource';
import { createProviderServiceFor } from './server';

/** The real dispatch for a provider definition; with none, a provider with an empty schema. */
export function createProviderService<Meta>(def?: ProviderDefinition<Meta>): ProviderService<ProviderHandlers> {
  return createProviderServiceFor<unknown>(
    (def as ProviderDefinition<unknown> | undefined) ?? {
      typeName: 'xen',
      schema: { block: { attributes: {} } },
      configure: async () => ({}),
      resources: [],
      dataSources: [],
    },
  );
}

export * from './rpc';
export * from './resource';
export * from './schema';
export * from './diagnostics';
export * from './validators';
export * from './function';
