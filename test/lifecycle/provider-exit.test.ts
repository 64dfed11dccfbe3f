// The provider stops with Terraform (issue 12): through the real binary, started by a stand-in parent process that the
// test SIGKILLs as Terraform can be killed. Without Terraform nobody will ever call Shutdown or record what the
// provider does, so it must exit within seconds, letting the xl call in flight finish and starting no other.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../provider/plugin/handshake';
import { pluginMethods } from '../../provider/protocol/service';
import { DEFAULT_BINARY, connect, parseHandshake, unary } from '../support/client';
import { TerraformSession } from '../support/lifecycle';
import { providerConfig, simHost, type SimHost } from '../support/sim';

const PARENT = path.resolve(__dirname, '../support/provider-parent.js');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ms until pid is gone, or undefined if it still runs after timeoutMs. */
async function exitWithin(pid: number, timeoutMs: number): Promise<number | undefined> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (!alive(pid)) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

interface Orphanable {
  tf: TerraformSession;
  /** The provider's own pid (tf.provider.pid is its parent's). */
  pid: number;
  record: string;
}

async function startUnderParent(host: SimHost): Promise<Orphanable> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tfxen-orphan-'));
  const pidFile = path.join(dir, 'pid');
  const record = path.join(dir, 'record.jsonl');
  const tf = await TerraformSession.start({
    binary: PARENT,
    env: { PROVIDER_PID_FILE: pidFile, XEN_PROVIDER_RECORD: record },
  });
  await tf.configure(providerConfig(host));
  return { tf, pid: Number(readFileSync(pidFile, 'utf8')), record };
}

const sessions: TerraformSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

test('a provider whose parent is killed notices within a second and exits', async () => {
  const o = await startUnderParent(simHost());
  sessions.push(o.tf);
  expect(alive(o.pid)).toBe(true);
  o.tf.provider.kill('SIGKILL'); // the parent: the provider is re-parented, and Shutdown will never come
  expect(await exitWithin(o.pid, 5000)).toBeDefined();
});

test('with an xl create in flight when the parent dies: that create finishes, nothing new starts, then it exits', async () => {
  const host = simHost();
  const o = await startUnderParent(host);
  sessions.push(o.tf);
  const config = o.tf.config('xen_domain', { name: 'inflight', firmware: 'pvgrub64' });
  const plan = await o.tf.plan('xen_domain', null, config);
  host.xl('sim-fault', 'hang', 'create', '2'); // the create takes 2 s more than usual
  const applying = o.tf.apply('xen_domain', null, plan.planned, config).catch((e: unknown) => e);
  // Wait until the create is running (its config file is written just before xl create starts).
  const cfg = path.join(host.dir, 'state', 'configs', 'inflight.cfg');
  for (let i = 0; i < 100 && !existsSync(cfg); i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  const killedAt = Date.now();
  o.tf.provider.kill('SIGKILL');
  const exitMs = await exitWithin(o.pid, 20_000);
  expect(exitMs).toBeDefined();
  await applying;

  // The create ran to its end (xl was not killed half way): the domain runs, not paused.
  expect(host.xl('list', 'inflight')).toMatch(/^inflight\s+\d+\s+\d+\s+\d+\s+-b----/m);
  const records = readFileSync(o.record, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { pid: number; start: number; end: number; argv: string[] });
  const create = records.find((r) => r.pid === o.pid && r.argv.includes('create') && !r.argv.includes('-n'));
  expect(create).toBeDefined();
  expect(create!.end).toBeGreaterThan(killedAt);
  // Nothing started once the provider knew (its parent watch looks twice a second): not even `xl domid`.
  expect(
    records.filter((r) => r.pid === o.pid && r.start > killedAt + 1000).map((r) => r.argv.slice(-2).join(' ')),
  ).toEqual([]);
  // The journal still says so, for the next apply to adopt the domain.
  expect(
    readdirSync(path.join(host.dir, 'state', 'configs', 'journal')).filter((f) => f.startsWith('domain.')),
  ).toHaveLength(1);
}, 60_000);

/** The provider started like go-plugin starts it (plaintext: no client certificate), with its handshake. */
async function bareProvider(): Promise<{ pid: number; address: string; exited: Promise<number | null> }> {
  const child = spawn(DEFAULT_BINARY, [], {
    env: {
      ...process.env,
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      PLUGIN_PROTOCOL_VERSIONS: '6',
      PLUGIN_UNIX_SOCKET_DIR: mkdtempSync(path.join(tmpdir(), 'tfxen-sock-')),
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const line = await new Promise<string>((resolve) =>
    readline.createInterface({ input: child.stdout! }).once('line', resolve),
  );
  return { pid: child.pid!, address: parseHandshake(line).address, exited };
}

test('a client connection that closes without Shutdown (Terraform gone) makes it exit', async () => {
  const p = await bareProvider();
  const client = connect(p.address);
  const { healthCheck } = pluginMethods;
  expect((await unary(client, healthCheck.path, healthCheck, { service: 'plugin' })).status).toBe(1);
  client.close();
  expect(await exitWithin(p.pid, 5000)).toBeDefined();
  expect(await p.exited).toBe(0);
});

test('SIGTERM (a CI runner cancelling the job) stops it the same way', async () => {
  const p = await bareProvider();
  const client = connect(p.address);
  const { healthCheck } = pluginMethods;
  await unary(client, healthCheck.path, healthCheck, { service: 'plugin' });
  process.kill(p.pid, 'SIGTERM');
  expect(await exitWithin(p.pid, 5000)).toBeDefined();
  expect(await p.exited).toBe(0);
  client.close();
});
