// PLACEHOLDER until the framework lands: the contract between the gRPC transport (provider/plugin) and the
// framework. The transport decodes each tfplugin6.Provider request with the generated protobufjs code and calls
// the handler of the same name (PascalCase RPC name); the handler returns a plain object shaped like the
// generated I<Rpc>.Response interface, which the transport encodes. A missing handler answers UNIMPLEMENTED.

export interface RpcContext {
  /** Aborted when Terraform calls StopProvider or the call is cancelled. */
  signal: AbortSignal;
}

export type RpcHandler = (request: any, ctx: RpcContext) => Promise<any>;
export type RpcHandlers = Record<string, RpcHandler>;

export interface ProviderService {
  handlers: RpcHandlers;
  /** StopProvider: abort every in-flight call. */
  stop(): void;
}

export function createProviderService(): ProviderService {
  const controller = new AbortController();
  return {
    handlers: {
      async GetProviderSchema() {
        return { provider: { block: {} }, resourceSchemas: {}, dataSourceSchemas: {}, diagnostics: [] };
      },
    },
    stop: () => controller.abort(),
  };
}
