// The contract between the gRPC transport (provider/plugin) and the framework. The transport decodes each
// tfplugin6.Provider request with the generated protobufjs code and calls the handler of the same name (PascalCase
// RPC name); the handler returns a plain object shaped like the generated I<Rpc>.Response interface, which the
// transport encodes. A missing handler answers UNIMPLEMENTED.

import type { ProviderDefinition } from './resource';

export interface RpcContext {
  /** Aborted when the call is cancelled; the framework adds StopProvider on top. */
  signal: AbortSignal;
}

export type RpcHandler = (request: any, ctx: RpcContext) => Promise<any>;
export type RpcHandlers = Record<string, RpcHandler>;

export interface ProviderService {
  handlers: RpcHandlers;
  /** StopProvider: abort every in-flight call. */
  stop(): void;
}

// TEMPORARY while the codecs land: the real dispatch is createProviderServiceFor in ./server.
export function createProviderService<Meta>(_def?: ProviderDefinition<Meta>): ProviderService {
  return {
    handlers: {
      async GetProviderSchema() {
        return { provider: { block: {} }, resourceSchemas: {}, dataSourceSchemas: {}, diagnostics: [] };
      },
    },
    stop: () => undefined,
  };
}

export * from './resource';
export * from './schema';
export * from './diagnostics';
export * from './validators';
