// Turns the provider's `connection` setting into a Toolstack. Both schemes build the same XlToolstack: `xl://PATH`
// runs that xl binary, `sim://DIR` runs the simulated host with its state in DIR. Nothing else is accepted.

import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../log';
import { InvalidSpecError } from './errors';
import { checkConnection } from './validate';
import { checkXlBinary } from './xl-binary';
import type { CommandRunner } from './exec';
import type { Toolstack } from './toolstack';
import { XlToolstack, type Timeouts } from './xl-toolstack';

export interface ConnectOptions {
  /** `xl:///usr/sbin/xl` or `sim:///path/to/state`. */
  connection: string;
  /** Simulated host inventory file (sim only). */
  inventory?: string;
  /** Where rendered xl.cfg files go; default /var/lib/terraform-provider-xen/configs (xl) or DIR/configs (sim). */
  configDir?: string;
  timeouts?: Partial<Timeouts>;
  /** argv that acts as the simulator's `xl`; default: this process's own binary with `__xl-sim`. */
  simCommand?: readonly string[];
  log?: Logger;
  /** Test seam: replaces execFile. */
  runner?: CommandRunner;
  readCacheMs?: number;
}

export const DEFAULT_XL_CONFIG_DIR = '/var/lib/terraform-provider-xen/configs';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** xenstore tools live beside xl on some distributions and in /usr/bin on others; fall back to PATH lookup. */
function xenstoreTool(xl: string, name: string): string {
  const beside = path.join(path.dirname(xl), name);
  if (executable(beside)) return beside;
  for (const dir of ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']) {
    const f = path.join(dir, name);
    if (executable(f)) return f;
  }
  return name;
}

export function parseConnection(connection: string): { scheme: 'xl' | 'sim'; path: string } {
  const problem = checkConnection(connection.trim());
  if (problem) throw new InvalidSpecError('connection', problem);
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(connection.trim())!;
  const scheme = m[1].toLowerCase() as 'xl' | 'sim';
  return { scheme, path: scheme === 'sim' ? path.resolve(m[2]) : m[2] };
}

export function createToolstack(opts: ConnectOptions): Toolstack {
  const { scheme, path: p } = parseConnection(opts.connection);
  const common = { timeouts: opts.timeouts, log: opts.log, runner: opts.runner, readCacheMs: opts.readCacheMs };
  if (scheme === 'xl') {
    const notXl = checkXlBinary(p);
    if (notXl) throw new InvalidSpecError('connection', notXl);
    if (opts.inventory !== undefined) {
      throw new InvalidSpecError('inventory', 'inventory only applies to the simulated host (connection = "sim://DIR")');
    }
    return new XlToolstack({
      ...common,
      kind: 'xl',
      xl: [p],
      xenstoreRead: [xenstoreTool(p, 'xenstore-read')],
      xenstoreLs: [xenstoreTool(p, 'xenstore-ls')],
      configDir: opts.configDir ?? DEFAULT_XL_CONFIG_DIR,
      sysfsRoot: '/sys',
      autostartDir: '/etc/xen/auto',
    });
  }
  const sim = opts.simCommand ?? [process.execPath, process.argv[1], '__xl-sim'];
  const env: Record<string, string> = { XEN_SIM_STATE: p };
  if (opts.inventory !== undefined) env.XEN_SIM_INVENTORY = path.resolve(opts.inventory);
  return new XlToolstack({
    ...common,
    kind: 'sim',
    xl: sim,
    xenstoreRead: [...sim, 'xenstore-read'],
    xenstoreLs: [...sim, 'xenstore-ls'],
    env,
    configDir: opts.configDir ?? path.join(p, 'configs'),
    sysfsRoot: path.join(p, 'sys'),
    autostartDir: path.join(p, 'auto'),
  });
}
