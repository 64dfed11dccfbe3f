// The provider block: where the Xen host is (real xl on this dom0, or the simulated host) and how strict to be.

import { join, resolve } from 'node:path';
import { DiagnosticError } from '../framework/diagnostics';
import type { ProviderDefinition } from '../framework/resource';
import { duration, oneOf, parseDuration, stringCheck } from '../framework/validators';
import { createToolstack } from '../xen/connect';
import { InvalidSpecError, XenError, formatDuration } from '../xen/errors';
import { Journal } from '../xen/journal';
import type { Toolstack } from '../xen/toolstack';
import { checkConfigDir, checkConnection } from '../xen/validate';
import { timeoutsFor } from '../xen/xl-toolstack';
import type { XenClient, SecurityPolicy } from './client';
import { str } from './values';
import { resources, dataSources } from './registry';
import { posture } from '../policy';

/** Where the embedded simulated host keeps its state when the configuration names no connection. */
export const DEFAULT_CONNECTION = 'sim://.xen-sim';

const DEFAULT_XL_TIMEOUT = '30s';

/** Planning one resource runs a few host calls, each bounded by xl_timeout; this bounds the whole. */
const PLAN_DEADLINE_FACTOR = 10;

function xlTimeoutCheck(s: string): string | undefined {
  const ms = parseDuration(s);
  if (ms === undefined) return `must be a duration such as "30s" or "2m", got ${JSON.stringify(s)}`;
  return ms < 1000 || ms > 3_600_000 ? `must be between 1s and 1h, got ${JSON.stringify(s)}` : undefined;
}

/** A setting's problem as a diagnostic on that attribute of the provider block. */
function invalidSetting(attr: string, problem: string, summary = `Invalid provider setting ${attr}`): DiagnosticError {
  return new DiagnosticError(summary, `${attr} ${problem}`, [{ attr }]);
}

/** The connection must lead to something that answers like xl, or configure fails on `connection`. */
async function probe(ts: Toolstack): Promise<void> {
  try {
    await ts.probe();
  } catch (err) {
    if (err instanceof InvalidSpecError) throw invalidSetting(err.field, err.message.replace(/^[a-z_]+: /, ''));
    if (err instanceof XenError) {
      throw new DiagnosticError('Cannot reach xl through the connection', `${err.message}\n\n${err.hint}`, [{ attr: 'connection' }]);
    }
    throw err;
  }
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
        xl_timeout: {
          type: 'string',
          optional: true,
          description:
            'How long one `xl` call may take before it is stopped and reported (`xl create` gets four times as long, since it builds and boots the domain). Also bounds each plan-time read of a host file. Raise it for a slow dom0. Default `' +
            DEFAULT_XL_TIMEOUT +
            '`.',
          validators: [stringCheck('a duration from `1s` to `1h`, such as `30s` or `2m`', xlTimeoutCheck)],
        },
        inventory: {
          type: 'string',
          optional: true,
          description: 'Simulated host only: a host inventory JSON (PCI devices, IOMMU, FLASK, memory) used when the state directory is new. Defaults to the built-in demo host.',
        },
        config_dir: {
          type: 'string',
          optional: true,
          description:
            'Directory where rendered xl.cfg files are written atomically, and where the provider keeps its journal of creates in progress (`journal/`), which lets an interrupted apply be finished by the next one. An absolute path in normal form, not under /proc, /sys or /dev. Defaults to `/var/lib/terraform-provider-xen/configs` for real xl and `DIR/configs` for the simulated host.',
          validators: [stringCheck('an absolute directory path outside /proc, /sys and /dev', checkConfigDir)],
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
    if (problem) throw invalidSetting('connection', problem);
    const configDir = str(config, 'config_dir');
    const dirProblem = configDir === undefined ? undefined : checkConfigDir(configDir);
    if (dirProblem) throw invalidSetting('config_dir', dirProblem);
    const xlTimeout = str(config, 'xl_timeout') ?? DEFAULT_XL_TIMEOUT;
    const timeoutProblem = xlTimeoutCheck(xlTimeout);
    if (timeoutProblem) throw invalidSetting('xl_timeout', timeoutProblem);
    const xlTimeoutMs = parseDuration(xlTimeout)!;
    const normalized = connection.startsWith('sim://') ? `sim://${resolve(connection.slice('sim://'.length))}` : connection;
    const inventory = str(config, 'inventory');
    let ts: Toolstack;
    try {
      ts = createToolstack({
        connection: normalized,
        inventory: inventory ? resolve(inventory) : undefined,
        configDir,
        timeouts: timeoutsFor(xlTimeoutMs),
        log,
      });
    } catch (err) {
      if (err instanceof InvalidSpecError) throw invalidSetting(err.field, err.message.replace(/^[a-z_]+: /, ''));
      throw err;
    }
    await probe(ts);
    log.info('configured', { connection: normalized, xl_timeout: formatDuration(xlTimeoutMs) });
    return {
      ts,
      connection: normalized,
      journal: new Journal(ts.files, join(ts.configDir, 'journal'), log),
      hotplugTimeoutMs: parseDuration(str(config, 'hotplug_timeout') ?? '30s') ?? 30000,
      shutdownTimeoutMs: parseDuration(str(config, 'shutdown_timeout') ?? '60s') ?? 60000,
      xlTimeoutMs,
      securityPolicy: (str(config, 'security_policy') ?? 'enforce') as SecurityPolicy,
    };
  },

  planDeadline: (meta) => ({
    ms: PLAN_DEADLINE_FACTOR * meta.xlTimeoutMs,
    hint:
      `Every host call is bounded by xl_timeout (now ${formatDuration(meta.xlTimeoutMs)}) and the plan of one resource by ${PLAN_DEADLINE_FACTOR} times that. ` +
      'If the host is merely slow, raise xl_timeout in the provider block; otherwise check what blocks the step above on the dom0.',
  }),
  quiesce: (meta, reason) => meta.ts.quiesce(reason),
  close: async (meta) => {
    await meta.ts.close?.();
  },

  resources,
  dataSources,

  // The security posture (provider/policy): own-configuration rules at validation, host-wide rules at plan.
  validate: (ctx) => posture.noteProviderConfig(ctx.config),
  checkConfig: (typeName, ctx) => posture.checkConfig(typeName, ctx),
  checkPlan: (typeName, ctx) => posture.checkPlan(typeName, ctx),
};
