// A real OpenSSH server for the tests: Debian's sshd on 127.0.0.1 and a free port, with its own host key and config in
// a temporary directory, and a login user whose authorized_keys lines the tests add (a forced restricted command per
// simulated host, or a plain shell login). Run as root (CI), the login user is a dedicated unprivileged account
// (tfxen-ssh, created with useradd when absent), as a real dom0 login would be; otherwise it is the current user.
// No sshd is a failure, not a skip (set XEN_TEST_SKIP_SSHD=1 to skip knowingly): the ssh transport is what users run.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import * as net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import * as path from 'node:path';

export const SSHD = '/usr/sbin/sshd';
export const TEST_USER = 'tfxen-ssh';
const CHECKOUT = path.resolve(__dirname, '../..');
export const DOM0_SCRIPT_SOURCE = path.join(CHECKOUT, 'dist', 'terraform-provider-xen-dom0');
const XL_SIM_SOURCE = path.join(CHECKOUT, 'dist', 'xl-sim');

export interface LoginUser {
  name: string;
  uid: number;
  gid: number;
}

export interface Sshd {
  port: number;
  user: LoginUser;
  /** Everything of this server (host key, config, log, keys, the hosts behind it). World-readable, like /usr. */
  dir: string;
  /** `[127.0.0.1]:PORT ssh-ed25519 AAAA...`: the line that pins this server's host key. */
  knownHostsLine: string;
  /** The restricted command as installed "on dom0" (a copy of dist/terraform-provider-xen-dom0). */
  dom0Script: string;
  /** The simulator's xl as installed "on dom0" (a copy of dist/xl-sim). */
  xlSim: string;
  /** A new key pair whose public half is added to authorized_keys with these options (e.g. command="..."). */
  addKey(name: string, options: string): { identityFile: string; publicKey: string };
  /** sshd's log so far. */
  log(): string;
  /** How many logins sshd accepted so far. */
  logins(): number;
  /** Runs argv as the login user (hand commands on the simulated host behind the server). */
  asUser(argv: readonly string[], env?: NodeJS.ProcessEnv): { code: number; stdout: string; stderr: string };
  /** Every process under the listening sshd: its connections and their sessions (to drop them in a test). */
  connectionPids(): number[];
  /**
   * Lets the login user run `command` (exact command line) as root with `sudo -n`, keeping SSH_ORIGINAL_COMMAND: the
   * non-root setup of the remote dom0 guide. Needs root and sudo; the sudoers file goes when the server stops.
   */
  allowSudo(command: string): void;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function loginUser(): LoginUser {
  const me = userInfo();
  if (me.uid !== 0) return { name: me.username, uid: me.uid, gid: me.gid };
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, TEST_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim());
  try {
    id('-u');
  } catch {
    execFileSync('useradd', ['--system', '--home-dir', '/', '--no-create-home', '--shell', '/bin/sh', TEST_USER], {
      stdio: 'pipe',
    });
  }
  // No password, but not locked ("!"): sshd without PAM refuses locked accounts even for keys.
  execFileSync('usermod', ['-p', '*', TEST_USER], { stdio: 'pipe' });
  return { name: TEST_USER, uid: id('-u'), gid: id('-g') };
}

async function waitListening(port: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `sshd exited ${child.exitCode} at start:\n${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`,
      );
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.end();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(
        `sshd did not listen on 127.0.0.1:${port} within 15 s:\n${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function sshdMissing(): string | undefined {
  if (process.env.XEN_TEST_SKIP_SSHD === '1') return 'XEN_TEST_SKIP_SSHD=1';
  return undefined;
}

export async function startSshd(): Promise<Sshd> {
  if (!existsSync(SSHD)) {
    throw new Error(
      `${SSHD} is missing: the ssh transport tests need Debian's openssh-server (apt-get install -y openssh-server; .ci/run installs it). ` +
        'Set XEN_TEST_SKIP_SSHD=1 to skip them knowingly.',
    );
  }
  if (!existsSync(DOM0_SCRIPT_SOURCE) || !existsSync(XL_SIM_SOURCE))
    throw new Error('run `npm run build` first: dist/ has no dom0 script or xl-sim');
  const user = loginUser();
  const root = userInfo().uid === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'tfxen-sshd-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const hostKey = path.join(dir, 'host_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'tfxen-test-host', '-f', hostKey]);
  const authorized = path.join(dir, 'authorized_keys');
  writeFileSync(authorized, '', { mode: 0o644 });
  const dom0Script = path.join(dir, 'terraform-provider-xen-dom0');
  copyFileSync(DOM0_SCRIPT_SOURCE, dom0Script);
  chmodSync(dom0Script, 0o755);
  const xlSim = path.join(dir, 'xl-sim');
  copyFileSync(XL_SIM_SOURCE, xlSim);
  chmodSync(xlSim, 0o755);
  mkdirSync(path.join(dir, 'keys'), { mode: 0o700 });
  const logFile = path.join(dir, 'sshd.log');
  const config = path.join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorized}`,
      // The temporary directory is not a home directory sshd could vouch for.
      'StrictModes no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      `AllowUsers ${user.name}`,
      'PermitRootLogin prohibit-password',
      'PermitUserEnvironment no',
      'PrintMotd no',
      'PrintLastLog no',
      'MaxStartups 100:30:200',
      'MaxSessions 20',
      'LogLevel VERBOSE',
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      '',
    ].join('\n'),
  );
  if (root) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child = spawn(SSHD, ['-D', '-E', logFile, '-f', config], { stdio: 'ignore' });
  child.on('error', () => undefined);
  await waitListening(port, child, logFile);
  const pub = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/);
  const sudoers: string[] = [];

  const sshd: Sshd = {
    port,
    user,
    dir,
    dom0Script,
    xlSim,
    knownHostsLine: `[127.0.0.1]:${port} ${pub[0]} ${pub[1]}`,
    addKey(name, options) {
      const key = path.join(dir, 'keys', name);
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `tfxen-test-${name}`, '-f', key]);
      const publicKey = readFileSync(`${key}.pub`, 'utf8').trim();
      appendFileSync(authorized, `${options ? `${options} ` : ''}${publicKey}\n`);
      return { identityFile: key, publicKey };
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    logins: () => (sshd.log().match(/Accepted publickey for /g) ?? []).length,
    asUser(argv, env) {
      const run =
        root && user.uid !== 0
          ? ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', ...argv]
          : [...argv];
      try {
        const stdout = execFileSync(run[0], run.slice(1), {
          env: { ...process.env, ...env },
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        return { code: 0, stdout, stderr: '' };
      } catch (e) {
        const err = e as { status?: number; stdout?: string; stderr?: string };
        return { code: err.status ?? 1, stdout: String(err.stdout ?? ''), stderr: String(err.stderr ?? '') };
      }
    },
    connectionPids() {
      if (child.pid === undefined) return [];
      try {
        // The whole tree under the listener: killing only the monitor leaves its unprivileged child holding the
        // TCP connection until it next asks the monitor for something.
        const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
          .split('\n')
          .map((l) => l.trim().split(/\s+/).map(Number))
          .filter((r) => r.length === 2 && r[0] > 0);
        const tree: number[] = [];
        let frontier = [child.pid];
        while (frontier.length > 0) {
          const next = rows.filter(([, ppid]) => frontier.includes(ppid)).map(([pid]) => pid);
          tree.push(...next);
          frontier = next;
        }
        return tree;
      } catch {
        return [];
      }
    },
    allowSudo(command) {
      if (!root) throw new Error('allowSudo needs root');
      if (!existsSync('/usr/bin/sudo'))
        throw new Error('sudo is missing (apt-get install -y sudo; .ci/run installs it)');
      const script = command.split(' ')[0];
      const file = `/etc/sudoers.d/tfxen-test-${port}`;
      const text = `Defaults!${script} env_keep += "SSH_ORIGINAL_COMMAND"\n${user.name} ALL=(root) NOPASSWD: ${command}\n`;
      writeFileSync(`${file}.tmp`, text, { mode: 0o440 });
      execFileSync('visudo', ['-cqf', `${file}.tmp`]);
      execFileSync('mv', [`${file}.tmp`, file]);
      sudoers.push(file);
    },
    async stop() {
      for (const f of sudoers) rmSync(f, { force: true });
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return sshd;
}

/** Makes a directory the login user owns (the simulated host's state, written by the commands it runs). */
export function userDir(sshd: Sshd, p: string): string {
  mkdirSync(p, { recursive: true });
  if (userInfo().uid === 0) chownSync(p, sshd.user.uid, sshd.user.gid);
  return p;
}

/** A server for the test file: started before its tests, stopped after; the getter returns it. */
export function sshdForSuite(): () => Sshd {
  let sshd: Sshd | undefined;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });
  return () => {
    if (!sshd) throw new Error('the test sshd is not running (did beforeAll fail?)');
    return sshd;
  };
}
