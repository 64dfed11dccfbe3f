// The contract between the gRPC transport (provider/plugin) and the framework. The transport decodes each
// tfplugin6.Provider request with the generated protobufjs code and calls the handler of the same name (PascalCase
// RPC name); the handler returns a plain object shaped like the generated I<Rpc>.Response interface, which the
// transport encodes. A missing handler answers UNIMPLEMENTED.

import type { ProviderRpcName, RequestInit, ResponseInit } from '../protocol/service';
import type { ProviderDefinition } from './resource';
import { createProviderServiceFor } from './server';

export interface RpcContext {
  /** Aborted when the call is cancelled; the framework adds StopProvider on top. */
  signal: AbortSignal;
  /** Aborts `signal` (the transport's own controller): how StopProvider reaches the call. Without it, a linked signal. */
  abort?: (reason: unknown) => void;
}

/** A handler: the request as the generated interface describes it, the response as a plain object of its interface. */
export type RpcHandler<K extends ProviderRpcName> = (request: RequestInit<K>, ctx: RpcContext) => Promise<ResponseInit<K>>;
/** Handlers by RPC name; the transport answers UNIMPLEMENTED for a missing one. */
export type RpcHandlers = { [K in ProviderRpcName]?: RpcHandler<K> };

/** RPCs this provider answers with a diagnostic that it declares no such objects. */
export type UnimplementedRpc =
  | 'ValidateEphemeralResourceConfig' | 'OpenEphemeralResource' | 'RenewEphemeralResource' | 'CloseEphemeralResource'
  | 'UpgradeResourceIdentity' | 'ValidateListResourceConfig' | 'ValidateActionConfig' | 'PlanAction';

/** The RPCs the framework serves (the others Terraform does not call on a provider like this one). */
export type ServedRpc =
  | 'GetMetadata' | 'GetProviderSchema' | 'GetResourceIdentitySchemas' | 'GetFunctions' | 'CallFunction'
  | 'ValidateProviderConfig' | 'ConfigureProvider' | 'StopProvider'
  | 'ValidateResourceConfig' | 'UpgradeResourceState' | 'ReadResource' | 'PlanResourceChange' | 'ApplyResourceChange'
  | 'ImportResourceState' | 'MoveResourceState' | 'ValidateDataResourceConfig' | 'ReadDataSource' | UnimplementedRpc;

export type ProviderHandlers = RpcHandlers & { [K in ServedRpc]: RpcHandler<K> };

export interface ProviderService<H extends RpcHandlers = RpcHandlers> {
  handlers: H;
  /** StopProvider: abort every in-flight call. */
  stop(): void;
  /**
   * Terraform is gone (its process died or its connection closed without Shutdown): start no new host call, let the
   * ones in flight finish, wait briefly for the calls being answered, then release the provider's connections.
   */
  close(reason: string): Promise<void>;
}

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

export * from './resource';
export * from './schema';
export * from './diagnostics';
export * from './validators';
export * from './function';
