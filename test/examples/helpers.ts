// What both example tests check on the simulated host once an example is applied.
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { DIST_DIR } from '../support/terraform';

export const EXAMPLE_POLICY = path.resolve(__dirname, '../../examples/secure-host/policy/xenpolicy-4.17');

export function xlSim(simState: string, args: string[]): string {
  return execFileSync(path.join(DIST_DIR, 'xl-sim'), args, {
    env: { ...process.env, XEN_SIM_STATE: simState },
    encoding: 'utf8',
  });
}

/** domain name -> domid, from `xl list`. */
export function domids(simState: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of xlSim(simState, ['list']).split('\n').slice(1)) {
    const [name, id] = line.trim().split(/\s+/);
    if (name) out.set(name, Number(id));
  }
  return out;
}

/** The backend domid of every row of `xl network-list` / `xl block-list` (column BE). */
export function backends(simState: string, cmd: 'network-list' | 'block-list', domain: string): number[] {
  return xlSim(simState, [cmd, domain])
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => Number(l.trim().split(/\s+/)[1]));
}

/** The secure host as both examples build it: driver domains own their devices and serve every guest backend. */
export function expectSecureHost(simState: string): void {
  const ids = domids(simState);
  expect([...ids.keys()].sort()).toEqual(['Domain-0', 'netdd', 'stordd', 'web', 'win', 'win-dm']);
  expect(xlSim(simState, ['pci-list', 'netdd'])).toContain('0000:03:00.0');
  expect(xlSim(simState, ['pci-list', 'stordd'])).toContain('0000:00:1f.2');
  for (const guest of ['web', 'win']) {
    expect(backends(simState, 'network-list', guest)).toEqual([ids.get('netdd')]);
    expect(backends(simState, 'block-list', guest)).toEqual([ids.get('stordd')]);
  }
  // xl getenforce exits 1 when enforcing (DESIGN.md): read its output, not its status.
  const enforce = spawnSync(path.join(DIST_DIR, 'xl-sim'), ['getenforce'], {
    env: { ...process.env, XEN_SIM_STATE: simState },
    encoding: 'utf8',
  });
  expect(enforce.stdout.trim()).toBe('Enforcing');
}

/** Resource lines of a plan that would change something (outputs aside). */
export function resourceChanges(planText: string): string[] {
  return planText.split('\n').filter((l) => /^\s*# \S+ (will be|must be)/.test(l));
}
