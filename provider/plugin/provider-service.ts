// Binds the framework's RPC handlers to tfplugin6.Provider paths: decode the request, call the handler, encode its
// plain-object answer. Failures are shaped the way Terraform reports them best: a handler that throws becomes an
// error diagnostic when the response can carry one (Terraform prints it against the resource), INTERNAL otherwise.
import type { Logger } from '../log';
import type { ProviderService, RpcContext } from '../framework';
import { providerMethods, providerPath } from '../protocol/service';
import type { MessageType, ProviderRpcName } from '../protocol/service';
import { tfplugin6 } from '../protocol/generated/protocol';
import type { GrpcServer } from './grpc-server';
import { GrpcError, Status } from './grpc-wire';

export function registerProviderService(server: GrpcServer, service: ProviderService, log: Logger): void {
  for (const rpc of Object.keys(providerMethods) as ProviderRpcName[]) {
    const def = providerMethods[rpc] as {
      kind: string;
      request: MessageType<unknown, unknown>;
      response: MessageType<unknown, unknown>;
    };
    // The request is decoded with this RPC's own message type, so the handler of the same name gets what it expects.
    const handler = service.handlers[rpc] as ((request: unknown, ctx: RpcContext) => Promise<unknown>) | undefined;
    const path = providerPath(rpc);
    const unimplemented = async (): Promise<never> => {
      throw new GrpcError(Status.UNIMPLEMENTED, `${rpc} is not implemented by this provider`);
    };
    if (!handler || (def.kind !== 'unary' && def.kind !== 'serverStream')) {
      if (def.kind === 'serverStream') server.serverStream(path, unimplemented);
      else server.unary(path, unimplemented);
      continue;
    }
    const decode = (bytes: Uint8Array): unknown => {
      try {
        return def.request.decode(bytes);
      } catch (err) {
        throw new GrpcError(
          Status.INVALID_ARGUMENT,
          `cannot decode the ${rpc} request: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    };
    const encode = (response: unknown): Uint8Array => {
      try {
        return def.response.encode(def.response.fromObject((response ?? {}) as { [k: string]: unknown })).finish();
      } catch (err) {
        log.error('provider returned a response that cannot be encoded', { rpc, error: err });
        throw new GrpcError(
          Status.INTERNAL,
          `${rpc}: provider returned a malformed response: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    };
    const canCarryDiagnostics = 'diagnostics' in (def.response.create() as object);

    if (def.kind === 'unary') {
      server.unary(path, async (bytes, ctx) => {
        const request = decode(bytes);
        try {
          return encode(await handler(request, { signal: ctx.signal, abort: ctx.abort }));
        } catch (err) {
          if (err instanceof GrpcError) throw err;
          log.error('provider RPC failed', { rpc, error: err, stack: err instanceof Error ? err.stack : undefined });
          if (!canCarryDiagnostics)
            throw new GrpcError(Status.INTERNAL, `${rpc} failed: ${err instanceof Error ? err.message : String(err)}`);
          return encode({ diagnostics: [internalErrorDiagnostic(rpc, err)] });
        }
      });
    } else {
      // Streaming RPCs: the handler answers with the events, as an array or an async iterable.
      server.serverStream(path, async (bytes, ctx, send) => {
        const request = decode(bytes);
        const events = (await handler(request, { signal: ctx.signal, abort: ctx.abort })) as
          Iterable<unknown> | AsyncIterable<unknown>;
        for await (const event of events) send(encode(event));
      });
    }
  }
}

export function internalErrorDiagnostic(rpc: string, err: unknown): tfplugin6.IDiagnostic {
  return {
    severity: tfplugin6.Diagnostic.Severity.ERROR,
    summary: 'Internal error in the Xen provider',
    detail: `${rpc} failed unexpectedly: ${err instanceof Error ? err.message : String(err)}\n\nThis is a bug in the provider; the provider log (TF_LOG_PROVIDER=debug) has the details.`,
  };
}
