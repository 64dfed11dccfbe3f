// What every simulated command gets: its output streams, the state store, the clock, and xl's shared error texts.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { DEMO_INVENTORY, Inventory, validateInventory } from './inventory';
import { SimDomain, SimState, StateStore } from './state';
import { syncSysfs } from './sysfs';

export interface SimIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Ends a command with xl's exit code after printing `stderr`. */
export class XlExit extends Error {
  constructor(
    readonly code: number,
    readonly stderrText = '',
  ) {
    super(stderrText || `exit ${code}`);
  }
}

export class Ctx {
  readonly store: StateStore;
  /**
   * Set by a kill-caller fault in its "during" phase: this command is the xl that gets killed half way, so it leaves
   * what a killed xl leaves (a domain still paused, a device whose hotplug never ran).
   */
  killedHalfway = false;

  constructor(
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
    readonly io: SimIo,
    signal?: AbortSignal,
  ) {
    const timeout = Number(env.XEN_SIM_LOCK_TIMEOUT_MS ?? '30000');
    const hold = Number(env.XEN_SIM_DEBUG_HOLD_MS ?? '0');
    this.store = new StateStore(
      dir,
      Number.isFinite(timeout) && timeout > 0 ? timeout : 30000,
      Number.isFinite(hold) ? hold : 0,
      signal,
      env.XEN_SIM_FSYNC === '1',
    );
  }

  now(): number {
    return Date.now();
  }

  out(text: string): void {
    this.io.stdout(text);
  }

  err(text: string): void {
    this.io.stderr(text);
  }

  /** The inventory a fresh state starts from: XEN_SIM_INVENTORY, or the built-in demo host. */
  inventory(): Inventory {
    const file = this.env.XEN_SIM_INVENTORY;
    if (!file) return structuredClone(DEMO_INVENTORY);
    return validateInventory(parseInventoryText(readInventory(file), file), file);
  }

  async load(): Promise<SimState> {
    return this.store.loadOrInit(
      () => this.inventory(),
      (s) => syncSysfs(this.dir, s),
    );
  }

  /** Mutates the state under the lock; the sysfs mirror is brought up to date before the lock is released. */
  async mutate<T>(fn: (s: SimState) => T): Promise<T> {
    const r = await this.store.mutate(
      fn,
      () => this.inventory(),
      (s) => syncSysfs(this.dir, s),
    );
    return r.result;
  }
}

export function invalidDomain(q: string): XlExit {
  return new XlExit(1, `${q} is an invalid domain identifier (rc=-6)\n`);
}

/** xl's find_domain: a number is a domid, anything else a name. */
export function lookupDomain(s: SimState, q: string): SimDomain | undefined {
  if (/^[0-9]+$/.test(q)) return s.domains.find((d) => d.domid === Number(q));
  return s.domains.find((d) => d.name === q);
}

export function findDomain(s: SimState, q: string): SimDomain {
  const d = lookupDomain(s, q);
  if (!d) throw invalidDomain(q);
  return d;
}

export function usage(cmd: string, min: number, synopsis: string): XlExit {
  return new XlExit(
    2,
    `'xl ${cmd}' requires at least ${min} argument${min === 1 ? '' : 's'}.\n\nUsage: xl [-v] ${cmd} ${synopsis}\n`,
  );
}

/** Splits leading `-x` options (single letters, possibly bundled) from operands. */
export function splitOptions(args: string[], withValue: string[] = []): { opts: Map<string, string>; rest: string[] } {
  const opts = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (rest.length === 0 && a.startsWith('-') && a.length > 1 && a !== '--') {
      if (a.startsWith('--')) {
        opts.set(a, '');
        continue;
      }
      for (let j = 1; j < a.length; j++) {
        const o = a[j];
        if (withValue.includes(o)) {
          opts.set(o, a.slice(j + 1) || args[++i] || '');
          break;
        }
        opts.set(o, '');
      }
    } else {
      rest.push(a);
    }
  }
  return { opts, rest };
}

export function freeMemoryMib(s: SimState): number {
  const used = s.domains.reduce((sum, d) => sum + Math.floor(d.targetMemKb / 1024), 0);
  return s.inventory.memory_mib - s.inventory.xen_reserved_mib - used;
}

export const DESTROY_FAILED_LINES = (domid: number): string =>
  `libxl: error: libxl_domain.c:1183:libxl__destroy_domid: Domain ${domid}:Non-existant domain\n` +
  `libxl: error: libxl_domain.c:1137:domain_destroy_callback: Domain ${domid}:Unable to destroy guest\n` +
  `libxl: error: libxl_domain.c:1064:domain_destroy_cb: Domain ${domid}:Destruction of domain failed\n`;

/** libxl writes PCI addresses in its messages as `%x:%x:%x.%x`. */
export function shortBdf(bdf: string): string {
  const m = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/.exec(bdf)!;
  return `${parseInt(m[1], 16).toString(16)}:${parseInt(m[2], 16).toString(16)}:${parseInt(m[3], 16).toString(16)}.${m[4]}`;
}

export function resetWarning(s: SimState, bdf: string): string {
  const f = s.inventory.pci.find((p) => p.bdf === bdf);
  return f && f.reset_method === 'none'
    ? `libxl: error: libxl_pci.c:1573:libxl__device_pci_reset: The kernel doesn't support reset from sysfs for PCI device ${bdf}\n`
    : '';
}

/** An inventory describes a host in a few KiB; a file this large is not one. */
export const MAX_INVENTORY_BYTES = 1024 * 1024;

/**
 * Reads the inventory file: a regular file of at most MAX_INVENTORY_BYTES, opened without blocking (a FIFO would
 * block an ordinary open). Errors never quote the file's content: the path may point at anything on the machine.
 */
export function readInventory(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new XlExit(
      1,
      `xl-sim: cannot read inventory ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'cannot open it')}\n`,
    );
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new XlExit(1, `xl-sim: cannot read inventory ${file}: not a regular file\n`);
    if (st.size > MAX_INVENTORY_BYTES)
      throw new XlExit(
        1,
        `xl-sim: cannot read inventory ${file}: ${st.size} bytes, more than the ${MAX_INVENTORY_BYTES} an inventory may have\n`,
      );
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** JSON.parse, with an error that says where the text stops being JSON but not what it says. */
export function parseInventoryText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    let where = '';
    if (m) {
      const before = text.slice(0, Number(m[1]));
      const line = before.split('\n').length;
      where = ` at line ${line}, column ${Number(m[1]) - before.lastIndexOf('\n')}`;
    } else if (/end of JSON input/.test((e as Error).message)) {
      where = ': it ends too early';
    } else if (!/^\s*[[{]/.test(text)) {
      where = ': it does not start with { (an object)';
    }
    throw new XlExit(
      1,
      `xl-sim: cannot read inventory ${file}: not valid JSON${where} (see docs/simulated-host.md for the format)\n`,
    );
  }
}
