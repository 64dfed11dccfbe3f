// The provider block: where the Xen host is (real xl in this dom0, real xl on a dom0 reached over ssh, or the
// simulated host) and how strict to be. There is no default host: a configuration that names none is refused at
// validate and plan, rather than silently planned against a simulator.

import { FlaskKnowledge } from '../xen/flask/knowledge';
import { accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';
import { DiagnosticError, formatPath, type Path } from '../framework/diagnostics';
import type { ProviderDefinition, ValidateContext } from '../framework/resource';
import { duration, oneOf, parseDuration, stringCheck } from '../framework/validators';
import type { CtyObject } from '../protocol/cty/types';
import { createToolstack, parseConnection } from '../xen/connect';
import { ConnectOptionError, XenError, formatDuration } from '../xen/errors';
import { Journal } from '../xen/journal';
import { PlanLedger } from './ledger';
import { checkConfigDir, checkConnection } from '../xen/validate';
import { timeoutsFor, type XlToolstack } from '../xen/xl-toolstack';
import {
  checkKnownHosts,
  CONNECTION_CHOICES,
  resolveSshSettings,
  SSH_ENV,
  type Problem,
  type SshBlockInput,
  type SshSettings,
} from '../xen/ssh/settings';
import type { XenClient, SecurityPolicy } from './client';
import { attrOf, decode, schema, unknownAt, type Model } from '../framework/model';
import { resources, dataSources } from './registry';
import { posture } from './posture';
import { functions } from '../functions';

/**
 * This process serves one Terraform command, so until it changes the host its listings are one snapshot of it: a
 * plan reads list -l and list -Z once, not once a second (O(1) xl calls for 200 guests, and no stall of Terraform's
 * concurrent calls behind each re-read). Bounded, so a walk held up for long by other providers still looks again.
 */
const READS_BEFORE_CHANGE_MS = 10 * 60_000;

const DEFAULT_XL_TIMEOUT = '30s';

/** Planning one resource runs a few host calls, each bounded by xl_timeout; this bounds the whole. */
const PLAN_DEADLINE_FACTOR = 10;

function xlTimeoutCheck(s: string): string | undefined {
  const ms = parseDuration(s);
  if (ms === undefined) return `must be a duration such as "30s" or "2m", got ${JSON.stringify(s)}`;
  return ms < 1000 || ms > 3_600_000 ? `must be between 1s and 1h, got ${JSON.stringify(s)}` : undefined;
}

function problemCheck(check: (s: string) => string | Problem): (s: string) => string | undefined {
  return (s) => {
    const r = check(s);
    return typeof r === 'string' ? undefined : r.message;
  };
}

const NO_CONNECTION =
  `Set connection in the provider block (or XEN_CONNECTION in the environment) to say which Xen host to manage: ${CONNECTION_CHOICES}. ` +
  'There is no default, so that a plan is never made against a host that does not exist.';

/** The ssh block's values as written (strings and bools; unknown or null values left out). */
function sshBlock(config: CtyObject): SshBlockInput | undefined {
  const b = model(config).ssh;
  if (!b) return undefined;
  const out: SshBlockInput = {};
  for (const k of ['known_hosts', 'identity_file', 'proxy_jump', 'config_file'] as const satisfies ReadonlyArray<
    keyof SshModel
  >) {
    const v = b[k];
    if (v !== undefined) out[k] = v;
  }
  if (b.sudo !== undefined) out.sudo = b.sudo;
  return out;
}

/** Checks that need the environment or more than one attribute (the per-value checks are the attribute validators). */
function validateProvider(ctx: ValidateContext): void {
  if (unknownAt(providerSchema.block, ctx.config, 'connection')) return;
  const m = model(ctx.config);
  const connection = m.connection ?? (process.env.XEN_CONNECTION || undefined);
  if (connection === undefined) {
    ctx.diags.error('No Xen host configured', NO_CONNECTION, [attrOf<ProviderModel>('connection')]);
    return;
  }
  if (m.connection === undefined) {
    const problem = checkConnection(connection);
    if (problem)
      ctx.diags.error('Invalid XEN_CONNECTION', `XEN_CONNECTION (used because connection is not set) ${problem}`, [
        attrOf<ProviderModel>('connection'),
      ]);
  }
  if (unknownAt(providerSchema.block, ctx.config, 'ssh')) return;
  const { problems } = resolveSshSettings(sshBlock(ctx.config));
  // Values from the block are already reported by the attribute validators; report only what came from XEN_SSH_*.
  for (const p of problems)
    if (p.env !== undefined) ctx.diags.error('Invalid ssh setting', sshProblemText(p), sshPath(p.setting));
  if (m.ssh !== undefined && !/^ssh:\/\//i.test(connection)) {
    ctx.diags.warning(
      'ssh settings not used',
      `The ssh block only applies to connection = "ssh://..."; this provider uses ${JSON.stringify(connection.slice(0, 80))}.`,
      [attrOf<ProviderModel>('ssh')],
    );
  }
}

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** The ssh settings for configure: each problem, and each named file that is not there, is an error on its attribute. */
function sshSettingsFor(config: CtyObject): SshSettings {
  const { settings, problems } = resolveSshSettings(sshBlock(config));
  if (problems.length > 0)
    throw new DiagnosticError('Invalid ssh setting', sshProblemText(problems[0]), sshPath(problems[0].setting));
  for (const [k, file] of [
    ['identity_file', settings.identityFile],
    ['config_file', settings.configFile],
  ] as const) {
    if (file !== undefined && !readable(file)) {
      const name = formatPath(sshPath(k));
      throw new DiagnosticError(
        `${name} cannot be read`,
        `${file} (from ${sshBlock(config)?.[k] !== undefined ? name : SSH_ENV[k]}) does not exist or is not readable by the user running Terraform.`,
        sshPath(k),
      );
    }
  }
  return settings;
}

/** Which attribute a failure to reach the host is about. */
function probePath(e: Error, config: CtyObject): Path {
  const code = (e as XenError).code;
  const block = sshBlock(config);
  if ((code === 'ssh_unknown_host_key' || code === 'ssh_host_key_changed') && block?.known_hosts !== undefined)
    return sshPath('known_hosts');
  if (code === 'ssh_auth' && block?.identity_file !== undefined) return sshPath('identity_file');
  if (code === 'sudo_refused' && block?.sudo !== undefined) return sshPath('sudo');
  return [attrOf<ProviderModel>('connection')];
}

function summaryOf(e: Error): string {
  switch ((e as XenError).code) {
    case 'ssh_unknown_host_key':
      return 'Unknown dom0 host key';
    case 'ssh_host_key_changed':
      return 'dom0 host key mismatch';
    case 'ssh_auth':
      return 'dom0 refused the ssh login';
    case 'ssh_unreachable':
      return 'Cannot reach dom0';
    case 'ssh_client_missing':
      return 'No ssh client';
    case 'xl_not_found':
      return 'xl not found';
    case 'not_xl':
      return 'Not xl';
    case 'restricted_command_refused':
      return 'Refused by the restricted dom0 command';
    case 'sudo_refused':
      return 'sudo refused';
    default:
      return 'Cannot use the Xen host';
  }
}

const providerSchema = schema({
  block: {
    description:
      'Hardens a Xen host as code: driver domains, PCI passthrough, stub domains and XSM/FLASK labels, reconciled with libxl through `xl`.',
    attributes: {
      connection: {
        type: 'string',
        optional: true,
        description:
          'Which Xen host to manage, and how: `xl:///usr/sbin/xl` runs that `xl` on this machine (the provider runs in dom0); ' +
          '`ssh://USER@HOST[:PORT]/usr/sbin/xl` runs it on a dom0 reached with the system OpenSSH client (from a CI runner or a laptop; ' +
          '`~/.ssh/config`, ProxyJump and ssh-agent work as with `ssh`; see the `ssh` block); `sim://DIR` drives the embedded simulated host with its state in DIR ' +
          '(relative to the working directory). Required: there is no default, but `$XEN_CONNECTION` is used when this is not set.',
        validators: [
          stringCheck('`xl:///path/to/xl`, `ssh://USER@HOST[:PORT]/path/to/xl` or `sim://DIR`', checkConnection),
        ],
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
        description:
          'Simulated host only: a host inventory JSON (PCI devices, IOMMU, FLASK, memory) used when the state directory is new. Defaults to the built-in demo host.',
      },
      config_dir: {
        type: 'string',
        optional: true,
        description:
          'Directory on the Xen host (dom0) where rendered xl.cfg files are written atomically (mode 0600, directory 0700), and where the provider keeps its journal of creates in progress (`journal/`), which lets an interrupted apply be finished by the next one. An absolute path in normal form, not under /proc, /sys or /dev. Defaults to `/var/lib/terraform-provider-xen/configs` for real xl (also over ssh) and `DIR/configs` for the simulated host.',
        validators: [stringCheck('an absolute directory path outside /proc, /sys and /dev', checkConfigDir)],
      },
      hotplug_timeout: {
        type: 'string',
        optional: true,
        description:
          'How long to wait for a backend to connect a vif or disk (state 4, `hotplug-status` connected) before detaching it again. Default `30s`.',
        validators: [duration],
      },
      shutdown_timeout: {
        type: 'string',
        optional: true,
        description:
          'How long a domain being destroyed or replaced gets to shut down cleanly (`xl shutdown -w`) before it is destroyed. Default `60s`.',
        validators: [duration],
      },
      security_policy: {
        type: 'string',
        optional: true,
        description:
          'What a weakness found at plan time does: `enforce` (default) makes it an error, `warn` a warning, `off` skips the checks. Labels that did not take effect are errors under `enforce`.',
        validators: [oneOf('enforce', 'warn', 'off')],
      },
    },
    blocks: {
      ssh: {
        nesting: 'single',
        description:
          'How to reach dom0 when `connection` is `ssh://...`. The provider runs the system `ssh` with BatchMode (never a prompt) and strict host key checking, ' +
          'one connection per provider process (a ControlMaster in a private directory, closed when the provider exits). Each setting falls back to an environment variable for CI.',
        block: {
          attributes: {
            known_hosts: {
              type: 'string',
              optional: true,
              description:
                "dom0's host key(s) as known_hosts lines (what `ssh-keyscan -p PORT HOST` prints), pinned: only these are accepted, and `~/.ssh/known_hosts` is not read. " +
                "Pin the jump hosts' keys here too when using `proxy_jump`. Defaults to `$XEN_SSH_KNOWN_HOSTS`; without either, ssh's own known_hosts files are used (still strictly).",
              validators: [stringCheck('known_hosts lines', problemCheck(checkKnownHosts))],
            },
            identity_file: {
              type: 'string',
              optional: true,
              description:
                "Private key to log in with (`~/` is expanded, relative paths are from the working directory); only this key is offered. Defaults to `$XEN_SSH_IDENTITY_FILE`; without either, ssh-agent and ssh's usual keys are used.",
              validators: [
                stringCheck(
                  'a path to a private key',
                  problemCheck((s) => resolveSshSettings({ identity_file: s }, {}).problems[0] ?? s),
                ),
              ],
            },
            proxy_jump: {
              type: 'string',
              optional: true,
              description:
                "Bastion host(s) to jump through, as ssh's `-J`: `[user@]host[:port]`, several separated by commas. Defaults to `$XEN_SSH_PROXY_JUMP`; a ProxyJump in your ssh config works too.",
              validators: [
                stringCheck(
                  '`[user@]host[:port]`, comma-separated',
                  problemCheck((s) => resolveSshSettings({ proxy_jump: s }, {}).problems[0] ?? s),
                ),
              ],
            },
            config_file: {
              type: 'string',
              optional: true,
              description:
                'An ssh_config file to use instead of `~/.ssh/config` and `/etc/ssh/ssh_config` (like `ssh -F`). Defaults to `$XEN_SSH_CONFIG_FILE`.',
              validators: [
                stringCheck(
                  'a path to an ssh_config file',
                  problemCheck((s) => resolveSshSettings({ config_file: s }, {}).problems[0] ?? s),
                ),
              ],
            },
            sudo: {
              type: 'bool',
              optional: true,
              description:
                'Run every command on dom0 as `sudo -n ...`, for a login user that is not root (its sudoers entry must allow the restricted dom0 command without a password; see the remote dom0 guide). Defaults to `$XEN_SSH_SUDO`, else `false`.',
            },
          },
        },
      },
    },
  },
});

type ProviderModel = Model<typeof providerSchema>;

/** The provider attribute each toolstack setting comes from (ConnectOptionError names the setting). */
const OPTION_ATTRIBUTES = {
  connection: 'connection',
  inventory: 'inventory',
  configDir: 'config_dir',
} as const satisfies Record<ConnectOptionError['option'], keyof ProviderModel>;
type SshModel = NonNullable<ProviderModel['ssh']>;

function model(config: CtyObject): ProviderModel {
  return decode(providerSchema.block, config);
}

function sshPath(k: keyof SshModel & string): Path {
  return [attrOf<ProviderModel>('ssh'), attrOf<SshModel>(k)];
}

/** A problem's message, saying which variable it came from when the block does not set the setting. */
function sshProblemText(p: Problem): string {
  return p.env === undefined
    ? p.message
    : `${p.env} (used because ${formatPath(sshPath(p.setting))} is not set) ${p.message}`;
}

export const xenProvider: ProviderDefinition<XenClient> = {
  typeName: 'xen',
  schema: providerSchema,

  async configure(config, { diags, log }) {
    const m = model(config);
    const connection = m.connection ?? (process.env.XEN_CONNECTION || undefined);
    if (connection === undefined)
      throw new DiagnosticError('No Xen host configured', NO_CONNECTION, [attrOf<ProviderModel>('connection')]);
    const problem = checkConnection(connection);
    if (problem)
      throw new DiagnosticError('Invalid connection', `${m.connection ? 'connection' : 'XEN_CONNECTION'} ${problem}`, [
        attrOf<ProviderModel>('connection'),
      ]);
    const scheme = parseConnection(connection).scheme;
    const normalized = scheme === 'sim' ? `sim://${resolve(connection.slice('sim://'.length))}` : connection;
    const ssh = scheme === 'ssh' ? sshSettingsFor(config) : undefined;
    if (scheme !== 'ssh' && m.ssh) {
      diags.warning(
        'ssh settings not used',
        `The ssh block only applies to connection = "ssh://..."; this provider uses ${JSON.stringify(normalized)}.`,
        [attrOf<ProviderModel>('ssh')],
      );
    }
    const configDir = m.config_dir;
    const dirProblem = configDir === undefined ? undefined : checkConfigDir(configDir);
    if (dirProblem)
      throw new DiagnosticError('Invalid config_dir', `config_dir ${dirProblem} (a directory on the Xen host)`, [
        attrOf<ProviderModel>('config_dir'),
      ]);
    const xlTimeout = m.xl_timeout ?? DEFAULT_XL_TIMEOUT;
    const timeoutProblem = xlTimeoutCheck(xlTimeout);
    if (timeoutProblem)
      throw new DiagnosticError('Invalid xl_timeout', `xl_timeout ${timeoutProblem}`, [
        attrOf<ProviderModel>('xl_timeout'),
      ]);
    const xlTimeoutMs = parseDuration(xlTimeout)!;
    const inventory = m.inventory;
    let ts: XlToolstack;
    try {
      ts = createToolstack({
        connection: normalized,
        inventory: inventory ? resolve(inventory) : undefined,
        configDir,
        ssh,
        timeouts: timeoutsFor(xlTimeoutMs),
        log,
        readCacheBeforeChangeMs: READS_BEFORE_CHANGE_MS,
      });
    } catch (e) {
      if (e instanceof ConnectOptionError) {
        const name = OPTION_ATTRIBUTES[e.option];
        throw new DiagnosticError(`Invalid ${name}`, `${name}: ${e.problem}`, [attrOf<ProviderModel>(name)]);
      }
      throw e;
    }
    try {
      await ts.probe();
    } catch (e) {
      await ts.close();
      const err = e as Error;
      const hint = (err as XenError).hint;
      throw new DiagnosticError(
        summaryOf(err),
        hint ? `${err.message}\n\n${hint}` : err.message,
        probePath(err, config),
      );
    }
    log.info('configured', { connection: normalized, where: ts.where, xl_timeout: formatDuration(xlTimeoutMs) });
    return {
      ts,
      connection: normalized,
      journal: new Journal(ts.files, join(ts.configDir, 'journal'), log),
      hotplugTimeoutMs: parseDuration(m.hotplug_timeout ?? '30s') ?? 30000,
      shutdownTimeoutMs: parseDuration(m.shutdown_timeout ?? '60s') ?? 60000,
      xlTimeoutMs,
      securityPolicy: (m.security_policy ?? 'enforce') as SecurityPolicy,
      flask: new FlaskKnowledge(ts),
      ledger: new PlanLedger(),
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
  functions,

  // The security posture (provider/policy): own-configuration rules at validation, host-wide rules at plan.
  validate: (ctx) => {
    validateProvider(ctx);
    posture.noteSecurityPolicy(model(ctx.config).security_policy);
  },
  checkConfig: (typeName, ctx) => posture.checkConfig(typeName, ctx),
  checkPlan: (typeName, ctx) => posture.checkPlan(typeName, ctx),
};
