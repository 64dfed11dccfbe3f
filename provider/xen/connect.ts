// Turns the provider's `connection` setting into a Toolstack. Every scheme builds the same XlToolstack over a Host:
// `xl://PATH` runs that xl on this machine (the provider is in dom0), `ssh://[USER@]HOST[:PORT]/PATH` runs that xl
// on a dom0 reached with the system ssh client, `sim://DIR` runs the simulated host with its state in DIR. There is no
// default: a configuration that names no host is refused (resources/provider.ts).

import { accessSync, constants, realpathSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../log';
import { ConnectOptionError } from './errors';
import { checkConnection } from './validate';
import { checkXlBinary } from './xl-binary';
import { runCommand, type CommandRunner } from './exec';
import { recorded } from './record';
import { inProcessSimRunner, simSubprocessForced } from './sim-runner';
import type { Host } from './host';
import { LocalHost } from './local-host';
import { parseSshUrl, type SshSettings, type SshTarget } from './ssh/settings';
import { SshHost } from './ssh/ssh-host';
import { XlToolstack, type Timeouts } from './xl-toolstack';

export interface ConnectOptions {
  /** `xl:///usr/sbin/xl`, `ssh://root@dom0/usr/sbin/xl` or `sim:///path/to/state`. */
  connection: string;
  /** Simulated host inventory file (sim only). */
  inventory?: string;
  /** Where rendered xl.cfg files go; default /var/lib/terraform-provider-xen/configs (xl, ssh) or DIR/configs (sim). */
  configDir?: string;
  /** ssh:// only: the checked `ssh { }` settings. */
  ssh?: SshSettings;
  timeouts?: Partial<Timeouts>;
  /** argv that acts as the simulator's `xl`; default: this process's own binary with `__xl-sim`. */
  simCommand?: readonly string[];
  /**
   * sim:// only: run the simulator's commands in this process (sim-runner.ts). Default: yes when simCommand is this
   * process's own binary and no runner is given, unless XEN_SIM_SUBPROCESS=1.
   */
  simInProcess?: boolean;
  log?: Logger;
  /** Test seam: replaces execFile (local hosts). */
  runner?: CommandRunner;
  readCacheMs?: number;
  readCacheBeforeChangeMs?: number;
}

export const DEFAULT_XL_CONFIG_DIR = '/var/lib/terraform-provider-xen/configs';
/** Debian's xendomains starts the configs linked here at boot. */
export const AUTOSTART_DIR = '/etc/xen/auto';

export type Connection =
  { scheme: 'xl'; path: string } | { scheme: 'sim'; path: string } | { scheme: 'ssh'; path: string; target: SshTarget };

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Xen's tools live beside xl on some distributions and in /usr/bin on others (Debian: /usr/sbin/xl is a link to
 * /usr/lib/xen-4.17/bin/xl, where flask-label-pci is too); fall back to PATH lookup.
 */
function xenstoreTool(xl: string, name: string): string {
  let real = xl;
  try {
    real = realpathSync(xl);
  } catch {
    /* not there: the PATH lookup below */
  }
  for (const beside of [path.join(path.dirname(xl), name), path.join(path.dirname(real), name)]) {
    if (executable(beside)) return beside;
  }
  for (const dir of ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']) {
    const f = path.join(dir, name);
    if (executable(f)) return f;
  }
  return name;
}

export function parseConnection(connection: string): Connection {
  const problem = checkConnection(connection.trim());
  if (problem) throw new ConnectOptionError('connection', problem);
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is.exec(connection.trim())!;
  const scheme = m[1].toLowerCase();
  if (scheme === 'ssh') {
    const t = parseSshUrl(connection.trim()) as SshTarget;
    return { scheme, path: t.xl, target: t };
  }
  return { scheme: scheme as 'xl' | 'sim', path: scheme === 'sim' ? path.resolve(m[2]) : m[2] };
}

export function createToolstack(opts: ConnectOptions): XlToolstack {
  const c = parseConnection(opts.connection);
  const common = {
    timeouts: opts.timeouts,
    log: opts.log,
    readCacheMs: opts.readCacheMs,
    readCacheBeforeChangeMs: opts.readCacheBeforeChangeMs,
  };
  if (c.scheme !== 'sim' && opts.inventory !== undefined) {
    throw new ConnectOptionError('inventory', 'only applies to the simulated host (connection = "sim://DIR")');
  }
  if (c.scheme === 'ssh') {
    const host: Host = new SshHost(c.target, opts.ssh ?? { sudo: false }, opts.log);
    return new XlToolstack({
      ...common,
      host,
      xl: [c.path],
      // The names dom0's PATH (or the restricted command) resolves: their place differs between distributions.
      xenstoreRead: ['xenstore-read'],
      xenstoreLs: ['xenstore-ls'],
      flaskLabelPci: ['flask-label-pci'],
      configDir: opts.configDir ?? DEFAULT_XL_CONFIG_DIR,
      sysfsRoot: '/sys',
      autostartDir: AUTOSTART_DIR,
    });
  }
  if (c.scheme === 'xl') {
    const notXl = checkXlBinary(c.path);
    if (notXl) throw new ConnectOptionError('connection', notXl);
    return new XlToolstack({
      ...common,
      host: new LocalHost({ log: opts.log, runner: opts.runner }),
      xl: [c.path],
      xenstoreRead: [xenstoreTool(c.path, 'xenstore-read')],
      xenstoreLs: [xenstoreTool(c.path, 'xenstore-ls')],
      // Debian puts Xen's FLASK tools next to the real xl (/usr/lib/xen-4.17/bin), with links in /usr/sbin.
      flaskLabelPci: [xenstoreTool(c.path, 'flask-label-pci')],
      configDir: opts.configDir ?? DEFAULT_XL_CONFIG_DIR,
      sysfsRoot: '/sys',
      autostartDir: AUTOSTART_DIR,
    });
  }
  const sim = opts.simCommand ?? [process.execPath, process.argv[1], '__xl-sim'];
  const env: Record<string, string> = { XEN_SIM_STATE: c.path };
  if (opts.inventory !== undefined) env.XEN_SIM_INVENTORY = path.resolve(opts.inventory);
  // Only this binary's own simulator can run in this process; another simCommand is a program of its own.
  const inProcess =
    opts.simInProcess ?? (opts.simCommand === undefined && opts.runner === undefined && !simSubprocessForced());
  const runner = inProcess
    ? recorded(inProcessSimRunner(sim, opts.runner ?? runCommand(opts.log), opts.log))
    : opts.runner;
  return new XlToolstack({
    ...common,
    probe: false,
    policyTypesCommand: ['sim-flask-types'],
    modelsAllFiles: false,
    sysfsMadeByFirstCommand: true,
    host: new LocalHost({ env, log: opts.log, runner }),
    xl: sim,
    xenstoreRead: [...sim, 'xenstore-read'],
    xenstoreLs: [...sim, 'xenstore-ls'],
    flaskLabelPci: [...sim, 'flask-label-pci'],
    configDir: opts.configDir ?? path.join(c.path, 'configs'),
    sysfsRoot: path.join(c.path, 'sys'),
    filesRoot: path.join(c.path, 'root'),
    autostartDir: path.join(c.path, 'auto'),
  });
}
