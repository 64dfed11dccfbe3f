// The simulator run inside the provider's process (xen/sim-runner.ts) against dist/xl-sim run as its own process on
// the same state: the same output and exit codes, the state lock still shared with other processes, a command with
// a fault armed handed to a process of its own with nothing done or used up, and a lock that is never released
// ending in xl_timeout as a killed subprocess would. Needs `npm run build` (dist/xl-sim).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { XlTimeoutError } from '../../../provider/xen/errors';
import type { CommandRunner, RunOptions } from '../../../provider/xen/exec';
import { runCommand } from '../../../provider/xen/exec';
import { inProcessSimRunner } from '../../../provider/xen/sim-runner';

const SIM = path.resolve(__dirname, '../../../dist/xl-sim');
const PREFIX = [process.execPath, SIM];

let dir: string;
let state: string;
let handedOver: Array<readonly string[]>;
let run: CommandRunner;

const opts = (extra: Partial<RunOptions> = {}): RunOptions => ({
  timeoutMs: 10_000,
  env: { XEN_SIM_STATE: state },
  ...extra,
});
const sim = (...args: string[]) => run([...PREFIX, ...args], opts());
/** dist/xl-sim as its own process, as a user (or another provider) runs it beside this one. */
function subprocess(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [SIM, ...args], {
    env: { ...process.env, XEN_SIM_STATE: state },
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(SIM)) throw new Error(`${SIM} is missing: run \`npm run build\` first`);
});

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'xen-sim-runner-'));
  state = path.join(dir, 'state');
  handedOver = [];
  const real = runCommand();
  run = inProcessSimRunner(PREFIX, (argv, o) => {
    handedOver.push(argv);
    return real(argv, o);
  });
  writeFileSync(path.join(dir, 'g.cfg'), 'name = "g"\nkernel = "/var/lib/xen/images/vmlinuz"\nmemory = 128\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('prints and exits as dist/xl-sim does, on the same state, without starting a process', async () => {
  const created = await sim('create', path.join(dir, 'g.cfg'));
  expect(created.exitCode).toBe(0);
  // Made in this process, seen by another: the state is the host's, not this process's.
  expect(subprocess('list').stdout).toMatch(/^g\s+1\s/m);
  for (const args of [
    ['list', '-l'],
    ['list', '-Z'],
    ['info'],
    ['list', 'nosuch'],
    ['create', path.join(dir, 'g.cfg')],
    ['xenstore-read', '/local/domain/1/name'],
    ['bogus'],
  ]) {
    const here = await sim(...args);
    const there = subprocess(...args);
    // A refused create uses up a domid, so the second one names the next: that is the host's doing, not the runner's.
    const domids = (t: string) => t.replace(/Domain \d+:/g, 'Domain N:');
    // `xl list` shows CPU time so far, which moves on between the two runs.
    const cpuTime = (t: string) => t.replace(/^(\S+\s+\d+\s+\d+\s+\d+\s+[-rbpscd]{6})\s+\d+\.\d/gm, '$1 T');
    expect({ args, code: here.exitCode, stdout: cpuTime(here.stdout), stderr: domids(here.stderr) }).toEqual({
      args,
      code: there.code,
      stdout: cpuTime(there.stdout),
      stderr: domids(there.stderr),
    });
  }
  expect(handedOver).toEqual([]);
});

test('a change made by another process is seen at once by the next command run here', async () => {
  expect((await sim('list')).stdout).not.toMatch(/^g\s/m);
  for (let i = 0; i < 3; i++) {
    // Each write replaces state.json; the state parsed here for the list before must not be reused.
    expect(
      subprocess(i === 0 ? 'create' : 'mem-set', ...(i === 0 ? [path.join(dir, 'g.cfg')] : ['g', String(64 + i)])).code,
    ).toBe(0);
    expect((await sim('list', 'g')).stdout).toMatch(new RegExp(`^g\\s+1\\s+${i === 0 ? 128 : 64 + i}\\s`, 'm'));
  }
});

test('a command with a fault armed runs as its own process; other commands stay here', async () => {
  expect(subprocess('sim-fault', 'fail-once', 'create', '3', 'libxl: error: injected').code).toBe(0);
  const failed = await sim('create', path.join(dir, 'g.cfg'));
  expect(failed.exitCode).toBe(3);
  expect(failed.stderr).toContain('libxl: error: injected');
  expect(handedOver).toEqual([[...PREFIX, 'create', path.join(dir, 'g.cfg')]]);
  // The fault was used up once, by that process; the retry runs here and creates the domain.
  expect((await sim('create', path.join(dir, 'g.cfg'))).exitCode).toBe(0);
  expect(handedOver).toHaveLength(1);

  expect(subprocess('sim-fault', 'kill-caller', 'destroy', 'after').code).toBe(0);
  // The dry run changes nothing, so the kill does not apply to it: it stays here.
  expect((await sim('create', '-n', path.join(dir, 'g.cfg'))).exitCode).toBe(0);
  expect(handedOver).toHaveLength(1);
  // The fault's own process finds that its caller is not the provider and kills nothing; the fault is spent.
  const destroyed = await sim('destroy', 'g');
  expect(handedOver).toHaveLength(2);
  expect(destroyed.stderr).toMatch(/not the provider; not killed/);
  expect(subprocess('sim-fault', 'list').stdout).toBe('');
});

test('a state lock that is never released ends in xl_timeout, and the command is not run later', async () => {
  expect((await sim('info')).exitCode).toBe(0);
  // A live process (this test's parent) holds the lock, as an xl of another provider stuck inside it would.
  writeFileSync(path.join(state, 'state.lock'), `${process.ppid}\n`);
  const t = run([...PREFIX, 'create', path.join(dir, 'g.cfg')], opts({ timeoutMs: 300 }));
  await expect(t).rejects.toBeInstanceOf(XlTimeoutError);
  rmSync(path.join(state, 'state.lock'));
  await new Promise((r) => setTimeout(r, 200));
  expect(
    execFileSync(process.execPath, [SIM, 'list'], { env: { ...process.env, XEN_SIM_STATE: state }, encoding: 'utf8' }),
  ).not.toMatch(/^g\s/m);
});

test('commands of one process take turns for the lock: concurrent creates all land, none lost', async () => {
  for (let i = 0; i < 8; i++)
    writeFileSync(path.join(dir, `g${i}.cfg`), `name = "g${i}"\nkernel = "/var/lib/xen/images/vmlinuz"\nmemory = 64\n`);
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => sim('create', path.join(dir, `g${i}.cfg`))));
  expect(results.map((r) => r.exitCode)).toEqual(Array(8).fill(0));
  const listed = subprocess('list').stdout;
  for (let i = 0; i < 8; i++) expect(listed).toMatch(new RegExp(`^g${i}\\s`, 'm'));
  expect(JSON.parse(subprocess('sim-state').stdout).generation).toBeGreaterThanOrEqual(8);
});
