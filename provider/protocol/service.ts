// The gRPC methods the provider serves, with their message types: one table shared by the plugin server and the
// Terraform-side test client, so request/response types and paths cannot drift apart.
import { google, grpc, plugin, tfplugin6 } from './generated/protocol';

/** What the transport needs from a generated message class. */
export interface MessageType<M, I> {
  create(properties?: I): M;
  encode(message: I): { finish(): Uint8Array };
  decode(bytes: Uint8Array): M;
  fromObject(object: { [k: string]: unknown }): M;
  toObject(
    message: M,
    options?: {
      longs?: unknown;
      enums?: unknown;
      bytes?: unknown;
      defaults?: boolean;
      arrays?: boolean;
      objects?: boolean;
      oneofs?: boolean;
    },
  ): { [k: string]: unknown };
}

export type MethodKind = 'unary' | 'serverStream' | 'clientStream' | 'bidiStream';

export interface MethodDef<Req = unknown, ReqInit = unknown, Res = unknown, ResInit = unknown> {
  kind: MethodKind;
  request: MessageType<Req, ReqInit>;
  response: MessageType<Res, ResInit>;
}

function def<Req, ReqInit, Res, ResInit>(
  kind: MethodKind,
  request: MessageType<Req, ReqInit>,
  response: MessageType<Res, ResInit>,
): MethodDef<Req, ReqInit, Res, ResInit> {
  return { kind, request, response };
}

const u = 'unary';
const t = tfplugin6;

/** tfplugin6.Provider, keyed by RPC name (the name the framework's handlers use). */
export const providerMethods = {
  GetMetadata: def(u, t.GetMetadata.Request, t.GetMetadata.Response),
  GetProviderSchema: def(u, t.GetProviderSchema.Request, t.GetProviderSchema.Response),
  ValidateProviderConfig: def(u, t.ValidateProviderConfig.Request, t.ValidateProviderConfig.Response),
  ValidateResourceConfig: def(u, t.ValidateResourceConfig.Request, t.ValidateResourceConfig.Response),
  ValidateDataResourceConfig: def(u, t.ValidateDataResourceConfig.Request, t.ValidateDataResourceConfig.Response),
  UpgradeResourceState: def(u, t.UpgradeResourceState.Request, t.UpgradeResourceState.Response),
  GetResourceIdentitySchemas: def(u, t.GetResourceIdentitySchemas.Request, t.GetResourceIdentitySchemas.Response),
  UpgradeResourceIdentity: def(u, t.UpgradeResourceIdentity.Request, t.UpgradeResourceIdentity.Response),
  ConfigureProvider: def(u, t.ConfigureProvider.Request, t.ConfigureProvider.Response),
  ReadResource: def(u, t.ReadResource.Request, t.ReadResource.Response),
  PlanResourceChange: def(u, t.PlanResourceChange.Request, t.PlanResourceChange.Response),
  ApplyResourceChange: def(u, t.ApplyResourceChange.Request, t.ApplyResourceChange.Response),
  ImportResourceState: def(u, t.ImportResourceState.Request, t.ImportResourceState.Response),
  MoveResourceState: def(u, t.MoveResourceState.Request, t.MoveResourceState.Response),
  ReadDataSource: def(u, t.ReadDataSource.Request, t.ReadDataSource.Response),
  GenerateResourceConfig: def(u, t.GenerateResourceConfig.Request, t.GenerateResourceConfig.Response),
  ValidateEphemeralResourceConfig: def(
    u,
    t.ValidateEphemeralResourceConfig.Request,
    t.ValidateEphemeralResourceConfig.Response,
  ),
  OpenEphemeralResource: def(u, t.OpenEphemeralResource.Request, t.OpenEphemeralResource.Response),
  RenewEphemeralResource: def(u, t.RenewEphemeralResource.Request, t.RenewEphemeralResource.Response),
  CloseEphemeralResource: def(u, t.CloseEphemeralResource.Request, t.CloseEphemeralResource.Response),
  ListResource: def('serverStream', t.ListResource.Request, t.ListResource.Event),
  ValidateListResourceConfig: def(u, t.ValidateListResourceConfig.Request, t.ValidateListResourceConfig.Response),
  GetFunctions: def(u, t.GetFunctions.Request, t.GetFunctions.Response),
  CallFunction: def(u, t.CallFunction.Request, t.CallFunction.Response),
  ValidateStateStoreConfig: def(u, t.ValidateStateStore.Request, t.ValidateStateStore.Response),
  ConfigureStateStore: def(u, t.ConfigureStateStore.Request, t.ConfigureStateStore.Response),
  ReadStateBytes: def('serverStream', t.ReadStateBytes.Request, t.ReadStateBytes.Response),
  WriteStateBytes: def('clientStream', t.WriteStateBytes.RequestChunk, t.WriteStateBytes.Response),
  GetStates: def(u, t.GetStates.Request, t.GetStates.Response),
  DeleteState: def(u, t.DeleteState.Request, t.DeleteState.Response),
  PlanAction: def(u, t.PlanAction.Request, t.PlanAction.Response),
  InvokeAction: def('serverStream', t.InvokeAction.Request, t.InvokeAction.Event),
  ValidateActionConfig: def(u, t.ValidateActionConfig.Request, t.ValidateActionConfig.Response),
  StopProvider: def(u, t.StopProvider.Request, t.StopProvider.Response),
};

export type ProviderMethods = typeof providerMethods;
export type ProviderRpcName = keyof ProviderMethods;
/** Plain request object (generated I-interface) for an RPC. */
export type RequestInit<K extends ProviderRpcName> =
  ProviderMethods[K] extends MethodDef<unknown, infer I, unknown, unknown> ? I : never;
/** Decoded request message for an RPC: what a handler receives. */
export type RequestOf<K extends ProviderRpcName> =
  ProviderMethods[K] extends MethodDef<infer R, unknown, unknown, unknown> ? R : never;
/** Plain response object (generated I-interface): what a handler returns. */
export type ResponseInit<K extends ProviderRpcName> =
  ProviderMethods[K] extends MethodDef<unknown, unknown, unknown, infer I> ? I : never;
/** Decoded response message: what the client receives. */
export type ResponseOf<K extends ProviderRpcName> =
  ProviderMethods[K] extends MethodDef<unknown, unknown, infer R, unknown> ? R : never;

export const PROVIDER_SERVICE = 'tfplugin6.Provider';
export const providerPath = (rpc: ProviderRpcName): string => `/${PROVIDER_SERVICE}/${rpc}`;

/** The go-plugin services that sit next to the provider on the same server. */
export const pluginMethods = {
  healthCheck: {
    path: '/grpc.health.v1.Health/Check',
    ...def(u, grpc.health.v1.HealthCheckRequest, grpc.health.v1.HealthCheckResponse),
  },
  healthWatch: {
    path: '/grpc.health.v1.Health/Watch',
    ...def('serverStream', grpc.health.v1.HealthCheckRequest, grpc.health.v1.HealthCheckResponse),
  },
  shutdown: { path: '/plugin.GRPCController/Shutdown', ...def(u, plugin.Empty, plugin.Empty) },
  streamStdio: {
    path: '/plugin.GRPCStdio/StreamStdio',
    ...def('serverStream', google.protobuf.Empty, plugin.StdioData),
  },
  brokerStartStream: { path: '/plugin.GRPCBroker/StartStream', ...def('bidiStream', plugin.ConnInfo, plugin.ConnInfo) },
};

export const HealthStatus = grpc.health.v1.HealthCheckResponse.ServingStatus;
export { tfplugin6 };
