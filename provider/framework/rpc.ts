// The RPC shapes the transport and the framework's handler groups share; apart from index.ts so the handlers can
// use them without importing the module that assembles them.

import type { ProviderRpcName, RequestInit, ResponseInit } from '../protocol/service';

export interface RpcContext {
  /** Aborted when the call is cancelled; the framework adds StopProvider on top. */
  signal: AbortSignal;
  /** Aborts `signal` (the transport's own controller): how StopProvider reaches the call. Without it, a linked signal. */
  abort?: (reason: unknown) => void;
}

/** A handler: the request as the generated interface describes it, the response as a plain object of its interface. */
export type RpcHandler<K extends ProviderRpcName> = (
  request: RequestInit<K>,
  ctx: RpcContext,
) => Promise<ResponseInit<K>>;
/** Handlers by RPC name; the transport answers UNIMPLEMENTED for a missing one. */
export type RpcHandlers = { [K in ProviderRpcName]?: RpcHandler<K> };

/** RPCs this provider answers with a diagnostic that it declares no such objects. */
export type UnimplementedRpc =
  | 'ValidateEphemeralResourceConfig'
  | 'OpenEphemeralResource'
  | 'RenewEphemeralResource'
  | 'CloseEphemeralResource'
  | 'UpgradeResourceIdentity'
  | 'ValidateListResourceConfig'
  | 'ValidateActionConfig'
  | 'PlanAction';

/** The RPCs the framework serves (the others Terraform does not call on a provider like this one). */
export type ServedRpc =
  | 'GetMetadata'
  | 'GetProviderSchema'
  | 'GetResourceIdentitySchemas'
  | 'GetFunctions'
  | 'CallFunction'
  | 'ValidateProviderConfig'
  | 'ConfigureProvider'
  | 'StopProvider'
  | 'ValidateResourceConfig'
  | 'UpgradeResourceState'
  | 'ReadResource'
  | 'PlanResourceChange'
  | 'ApplyResourceChange'
  | 'ImportResourceState'
  | 'MoveResourceState'
  | 'ValidateDataResourceConfig'
  | 'ReadDataSource'
  | UnimplementedRpc;

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
