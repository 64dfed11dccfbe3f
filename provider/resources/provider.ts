// The provider block: where the Xen host is (real xl on this dom0, or the simulated host) and how strict to be.

import { resolve } from 'node:path';
import type { ProviderDefinition } from '../framework/resource';
import { duration, oneOf, parseDuration, stringCheck } from '../framework/validators';
import { createToolstack } from '../xen/connect';
import type { XenClient, SecurityPolicy } from './client';
import { str } from './values';
import { resources, dataSources } from './registry';
import { posture } from '../policy';
import { functions } from '../functions';

/** Where the embedded simulated host keeps its state when the configuration names no connection. */
export const DEFAULT_CONNECTION = 'sim://.xen-sim';

function checkConnection(s: string): string | undefined {
  if (/^xl:\/\/\/./.test(s) || /^sim:\/\/./.test(s)) return undefined;
  return `must be "xl:///path/to/xl" (real xl on this dom0, e.g. "xl:///usr/sbin/xl") or "sim://DIR" (the simulated host keeping its state in DIR), got ${JSON.stringify(s)}`;
}

export const xenProvider: ProviderDefinition<XenClient> = {
  typeName: 'xen',
  schema: {
    block: {
      description: 'Hardens a Xen host as code: driver domains, PCI passthrough, stub domains and XSM/FLASK labels, reconciled with libxl through `xl`.',
      attributes: {
        connection: {
          type: 'string',
          optional: true,
          description:
            'How to reach libxl: `xl:///usr/sbin/xl` runs that `xl` on this dom0; `sim://DIR` drives the embedded simulated host with its state in DIR (relative to the working directory). Defaults to `$XEN_CONNECTION`, else `' +
            DEFAULT_CONNECTION +
            '`.',
          validators: [stringCheck('`xl:///path/to/xl` or `sim://DIR`', checkConnection)],
        },
        inventory: {
          type: 'string',
          optional: true,
          description: 'Simulated host only: a host inventory JSON (PCI devices, IOMMU, FLASK, memory) used when the state directory is new. Defaults to the built-in demo host.',
        },
        config_dir: {
          type: 'string',
          optional: true,
          description: 'Directory where rendered xl.cfg files are written atomically. Defaults to `/var/lib/terraform-provider-xen/configs` for real xl and `DIR/configs` for the simulated host.',
        },
        hotplug_timeout: {
          type: 'string',
          optional: true,
          description: 'How long to wait for a backend to connect a vif or disk (state 4, `hotplug-status` connected) before detaching it again. Default `30s`.',
          validators: [duration],
        },
        shutdown_timeout: {
          type: 'string',
          optional: true,
          description: 'How long a domain being destroyed or replaced gets to shut down cleanly (`xl shutdown -w`) before it is destroyed. Default `60s`.',
          validators: [duration],
        },
        security_policy: {
          type: 'string',
          optional: true,
          description: 'What a weakness found at plan time does: `enforce` (default) makes it an error, `warn` a warning, `off` skips the checks. Labels that did not take effect are errors under `enforce`.',
          validators: [oneOf('enforce', 'warn', 'off')],
        },
      },
    },
  },

  async configure(config, { log }) {
    const connection = str(config, 'connection') ?? process.env.XEN_CONNECTION ?? DEFAULT_CONNECTION;
    const problem = checkConnection(connection);
    if (problem) throw new Error(`connection ${problem}`);
    const normalized = connection.startsWith('sim://') ? `sim://${resolve(connection.slice('sim://'.length))}` : connection;
    const inventory = str(config, 'inventory');
    const ts = createToolstack({
      connection: normalized,
      inventory: inventory ? resolve(inventory) : undefined,
      configDir: str(config, 'config_dir'),
      log,
    });
    log.info('configured', { connection: normalized });
    return {
      ts,
      connection: normalized,
      hotplugTimeoutMs: parseDuration(str(config, 'hotplug_timeout') ?? '30s') ?? 30000,
      shutdownTimeoutMs: parseDuration(str(config, 'shutdown_timeout') ?? '60s') ?? 60000,
      securityPolicy: (str(config, 'security_policy') ?? 'enforce') as SecurityPolicy,
    };
  },

  resources,
  dataSources,
  functions,

  // The security posture (provider/policy): own-configuration rules at validation, host-wide rules at plan.
  validate: (ctx) => posture.noteProviderConfig(ctx.config),
  checkConfig: (typeName, ctx) => posture.checkConfig(typeName, ctx),
  checkPlan: (typeName, ctx) => posture.checkPlan(typeName, ctx),
};
