// RPC -> resource dispatch: turns each tfplugin6.Provider call into calls on the provider definition, with the
// codecs, the plan rules and Terraform's consistency checks applied here once for every resource. The shared state
// and the error guard are the runtime (runtime.ts); the handlers come in groups (handlers_*.ts).

import { log as rootLog } from '../log';
import type { Logger } from '../log';
import type { ProviderDefinition } from './resource';
import { createRuntime } from './runtime';
import { providerHandlers } from './handlers_provider';
import { resourceHandlers } from './handlers_resources';
import { dataSourceHandlers } from './handlers_data_sources';
import type { ProviderHandlers, ProviderService, RpcHandler, UnimplementedRpc } from './rpc';

/** RPCs for objects this provider declares none of: each answers with an error diagnostic saying so. */
const UNIMPLEMENTED: readonly UnimplementedRpc[] = [
  'ValidateEphemeralResourceConfig',
  'OpenEphemeralResource',
  'RenewEphemeralResource',
  'CloseEphemeralResource',
  'UpgradeResourceIdentity',
  'ValidateListResourceConfig',
  'ValidateActionConfig',
  'PlanAction',
];

export function createProviderServiceFor<Meta>(
  def: ProviderDefinition<Meta>,
  logger: Logger = rootLog,
): ProviderService<ProviderHandlers> {
  const rt = createRuntime(def, logger);
  const unimplemented = {} as { [K in UnimplementedRpc]: RpcHandler<K> };
  for (const name of UNIMPLEMENTED) {
    unimplemented[name] = async (_req, ctx) =>
      rt.guarded(name, ctx, async () => {
        throw new Error(`This provider does not implement ${name}: it declares no such objects.`);
      });
  }
  const handlers: ProviderHandlers = {
    ...providerHandlers(rt),
    ...resourceHandlers(rt),
    ...dataSourceHandlers(rt),
    ...unimplemented,
  };
  return {
    handlers,
    stop: () => void handlers.StopProvider({}, { signal: new AbortController().signal }),
    close: (reason) => rt.close(reason),
  };
}
