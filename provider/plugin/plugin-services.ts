// The go-plugin services beside tfplugin6.Provider: health (go-plugin pings service "plugin"), the controller whose
// Shutdown is Terraform's last call, and the stdio stream go-plugin opens at connect time.
import { HealthStatus, pluginMethods } from '../protocol/service';
import type { GrpcServer } from './grpc-server';
import { GrpcError, Status } from './grpc-wire';

export interface PluginServiceHooks {
  /** Called after the Shutdown response has been handed to the connection. */
  onShutdown(): void;
}

const SERVED = new Set(['', 'plugin']);

export function registerPluginServices(server: GrpcServer, hooks: PluginServiceHooks): void {
  const { healthCheck, healthWatch, shutdown, streamStdio } = pluginMethods;

  server.unary(healthCheck.path, async (bytes) => {
    const { service } = healthCheck.request.decode(bytes);
    if (!SERVED.has(service)) throw new GrpcError(Status.NOT_FOUND, `unknown service ${service}`);
    return healthCheck.response.encode({ status: HealthStatus.SERVING }).finish();
  });

  server.serverStream(healthWatch.path, async (bytes, ctx, send) => {
    const { service } = healthWatch.request.decode(bytes);
    send(
      healthWatch.response
        .encode({ status: SERVED.has(service) ? HealthStatus.SERVING : HealthStatus.SERVICE_UNKNOWN })
        .finish(),
    );
    await untilAborted(ctx.signal);
  });

  server.unary(shutdown.path, async () => {
    setImmediate(hooks.onShutdown);
    return shutdown.response.encode({}).finish();
  });

  // go-plugin mirrors whatever arrives here into Terraform's log. Our logs already go to real stderr, which
  // go-plugin reads too, so the stream only has to stay open until shutdown.
  server.serverStream(streamStdio.path, async (_bytes, ctx) => {
    await untilAborted(ctx.signal);
  });
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
