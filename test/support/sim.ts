// A fresh simulated Xen host per test, and `xl-sim` run by hand on it (the way a user causes drift).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEMO_INVENTORY } from '../../provider/xen/sim/inventory';

export const XL_SIM = path.resolve(__dirname, '../../dist/xl-sim');

export interface SimHost {
  dir: string;
  connection: string;
  /** The inventory file, when the host is not the built-in demo host. */
  inventory?: string;
  /** Runs `xl-sim ARGS` against this host; returns stdout (throws with stderr on a non-zero exit). */
  xl(...args: string[]): string;
  /** Like xl() but returns the exit code and both streams. */
  xlRaw(...args: string[]): { code: number; stdout: string; stderr: string };
}

/** A new host; `changes` alter a copy of the demo inventory (e.g. { iommu: 'none' }). */
export function simHost(changes?: Record<string, unknown>): SimHost {
  const dir = mkdtempSync(path.join(tmpdir(), 'tfxen-sim-'));
  let inventory: string | undefined;
  if (changes) {
    inventory = path.join(dir, 'inventory.json');
    writeFileSync(inventory, JSON.stringify({ ...JSON.parse(JSON.stringify(DEMO_INVENTORY)), ...changes }, null, 2));
  }
  const state = path.join(dir, 'state');
  const env = { ...process.env, XEN_SIM_STATE: state, ...(inventory ? { XEN_SIM_INVENTORY: inventory } : {}) };
  const xlRaw = (...args: string[]) => {
    try {
      const stdout = execFileSync(XL_SIM, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { code: 0, stdout, stderr: '' };
    } catch (e) {
      const err = e as { status?: number; stdout?: string; stderr?: string };
      return { code: err.status ?? 1, stdout: String(err.stdout ?? ''), stderr: String(err.stderr ?? '') };
    }
  };
  return {
    dir,
    connection: `sim://${state}`,
    inventory,
    xlRaw,
    xl(...args: string[]) {
      const r = xlRaw(...args);
      if (r.code !== 0) throw new Error(`xl-sim ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return r.stdout;
    },
  };
}

/** The provider block for a host. */
export function providerConfig(host: SimHost, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { connection: host.connection, inventory: host.inventory ?? null, ...extra };
}
