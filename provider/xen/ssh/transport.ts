// One ssh connection to dom0 per provider process, through the system OpenSSH client: a ControlMaster started on
// first use, with its control socket and ssh_config in a private 0700 temporary directory, and every command a
// multiplexed session over it (`ssh -S SOCKET ... -- HOST 'COMMAND'`). BatchMode and strict host key checking always.
// The master goes to the background once connected (ControlPersist), so its start tells success or the reason it
// failed; it is closed when the provider exits (or close() is called), and ends by itself after IDLE_S without a
// session if the provider was killed. If it is gone when a command comes, it is opened again.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../../log';
import { XlAbortedError, XlTimeoutError } from '../errors';
import type { RunResult } from '../exec';
import { sshConfigText } from './ssh-config';
import {
  classifySshFailure,
  SshAuthError,
  SshClientMissingError,
  SshConnectionLostError,
  SshFailedError,
  SshHostKeyChangedError,
  SshUnknownHostKeyError,
  SshUnreachableError,
  sshMessage,
  type PresentedKey,
} from './ssh-errors';
import type { SshSettings, SshTarget } from './settings';
import { commandLine } from './words';

/** The master ends this long after its last session when the provider could not close it (killed). */
const IDLE_S = 120;
/** sshd's MaxSessions defaults to 10 sessions per connection. */
const MAX_SESSIONS = 8;
const CONNECT_TIMEOUT_MS = 90_000;
const MAX_OUTPUT = 256 * 1024 * 1024;

export interface ExecOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  stdin?: string;
}

interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  aborted: boolean;
}

function sshProgram(): string {
  return process.env.XEN_SSH_PROGRAM || 'ssh';
}

/** Runs ssh (argv, no shell) and collects its output; timeout and abort kill it. */
function runSsh(
  args: readonly string[],
  opts: { timeoutMs: number; signal?: AbortSignal; stdin?: string },
): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(sshProgram(), args, {
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    let aborted = false;
    const kill = () => {
      try {
        child.kill('SIGKILL');
      } catch {
        /* gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs);
    const onAbort = () => {
      aborted = true;
      kill();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const collect = (into: Buffer[]) => (b: Buffer) => {
      size += b.length;
      if (size > MAX_OUTPUT) kill();
      else into.push(b);
    };
    child.stdout!.on('data', collect(out));
    child.stderr!.on('data', collect(err));
    child.on('error', (e) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      reject(
        new SshClientMissingError(`${sshProgram()}: ${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`.trim()),
      );
    });
    if (opts.stdin !== undefined) {
      child.stdin!.on('error', () => {
        /* the remote side closed early; its exit status tells */
      });
      child.stdin!.end(opts.stdin);
    }
    let settled = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({
        code,
        signal,
        timedOut,
        aborted,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    };
    child.on('close', finish);
    // A multiplexed client hands its stdout/stderr to the master, which holds them until the remote command ends:
    // after we killed the client, 'close' would wait for a remote `xl shutdown -w` that may never return.
    child.on('exit', (code, signal) => {
      if (!timedOut && !aborted && size <= MAX_OUTPUT) return;
      child.stdout!.destroy();
      child.stderr!.destroy();
      finish(code, signal);
    });
  });
}

/** A small counting semaphore: at most MAX_SESSIONS commands share the connection at once. */
class Sessions {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  async run<T>(f: () => Promise<T>): Promise<T> {
    if (this.active >= MAX_SESSIONS) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await f();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export class SshTransport {
  /** `user@host:port` as the messages show it. */
  readonly destination: string;
  /** How many ssh connections this process opened (one, unless the connection was lost or idled out). */
  connections = 0;
  private dir?: string;
  private configFile = '';
  private socket = '';
  private connecting?: Promise<void>;
  private readonly sessions = new Sessions();
  private readonly onExit = () => this.closeSync();

  constructor(
    readonly target: SshTarget,
    readonly settings: SshSettings,
    private readonly log?: Logger,
  ) {
    const t = target;
    const host = t.host.includes(':') ? `[${t.host}]` : t.host;
    this.destination = `${t.user ? `${t.user}@` : ''}${host}${t.port ? `:${t.port}` : ''}`;
  }

  /** Options every ssh invocation shares (before `--`); the destination and command follow `--`. */
  private baseArgs(): string[] {
    const a = ['-F', this.configFile];
    if (this.settings.proxyJump) a.push('-J', this.settings.proxyJump);
    if (this.target.user) a.push('-l', this.target.user);
    if (this.target.port) a.push('-p', String(this.target.port));
    return a;
  }

  private prepare(): void {
    if (this.dir) return;
    // The control socket path must stay short (sun_path is 108 bytes and ssh adds a random suffix while binding).
    const base = tmpdir().length <= 40 ? tmpdir() : '/tmp';
    const dir = mkdtempSync(path.join(base, 'tfxen-ssh-'));
    let knownHostsFile: string | undefined;
    if (this.settings.knownHosts) {
      knownHostsFile = path.join(dir, 'known_hosts');
      writeFileSync(knownHostsFile, this.settings.knownHosts, { mode: 0o600 });
    }
    this.configFile = path.join(dir, 'ssh_config');
    writeFileSync(this.configFile, sshConfigText(this.settings, { knownHostsFile, home: homedir() }), { mode: 0o600 });
    this.socket = path.join(dir, 'm');
    this.dir = dir;
    process.on('exit', this.onExit);
  }

  /** Opens the master connection unless it is up; concurrent callers share one attempt. */
  connect(signal?: AbortSignal): Promise<void> {
    if (this.dir && existsSync(this.socket)) return Promise.resolve();
    if (!this.connecting) {
      this.connecting = this.openMaster(signal).finally(() => {
        this.connecting = undefined;
      });
    }
    return this.connecting;
  }

  private async openMaster(signal?: AbortSignal): Promise<void> {
    this.prepare();
    if (existsSync(this.socket)) return;
    const again = this.connections > 0;
    if (again)
      this.log?.warn('the ssh connection to dom0 is gone (lost, or idle for too long); connecting again', {
        destination: this.destination,
      });
    const args = [
      ...this.baseArgs(),
      '-M',
      '-S',
      this.socket,
      '-o',
      `ControlPersist=${IDLE_S}`,
      '-N',
      '--',
      this.target.host,
    ];
    this.log?.trace('opening the ssh connection', { argv: [sshProgram(), ...args] });
    const r = await runSsh(args, { timeoutMs: CONNECT_TIMEOUT_MS, signal });
    if (r.aborted) throw new XlAbortedError(['ssh', this.destination]);
    if (r.timedOut) throw new SshUnreachableError(this.destination, `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`);
    if (r.code !== 0 || !existsSync(this.socket)) throw await this.connectFailure(r.stderr, signal);
    this.connections++;
    this.log?.info('connected to dom0 over ssh', {
      destination: this.destination,
      connections: this.connections,
      pid: process.pid,
      ms: Math.round(r.durationMs),
    });
  }

  private async connectFailure(stderr: string, signal?: AbortSignal): Promise<Error> {
    const kind = classifySshFailure(stderr);
    const pinned = this.settings.knownHosts !== undefined;
    const msg = sshMessage(stderr);
    this.log?.debug('ssh could not connect', { destination: this.destination, stderr });
    switch (kind) {
      case 'unknown_host_key':
        return new SshUnknownHostKeyError(this.destination, await this.presentedKey(signal), pinned);
      case 'changed_host_key':
        return new SshHostKeyChangedError(this.destination, await this.presentedKey(signal), pinned);
      case 'auth':
        return new SshAuthError(this.destination, msg, this.settings.identityFile);
      case 'unreachable':
      case 'lost':
        return new SshUnreachableError(this.destination, msg);
      default:
        return new SshFailedError(this.destination, msg);
    }
  }

  /**
   * The host key dom0 offers, fetched the way the real connection goes (same ssh_config, ProxyJump) into a scratch
   * known_hosts with authentication switched off, so nothing is sent to the unverified host but the key exchange.
   */
  private async presentedKey(signal?: AbortSignal): Promise<PresentedKey | undefined> {
    const scratch = path.join(this.dir!, 'presented_known_hosts');
    rmSync(scratch, { force: true });
    const off = [
      'PubkeyAuthentication',
      'PasswordAuthentication',
      'KbdInteractiveAuthentication',
      'GSSAPIAuthentication',
      'HostbasedAuthentication',
    ].flatMap((o) => ['-o', `${o}=no`]);
    const args = [
      ...this.baseArgs(),
      '-o',
      'StrictHostKeyChecking=accept-new',
      '-o',
      `UserKnownHostsFile=${scratch}`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'HashKnownHosts=no',
      '-o',
      'UpdateHostKeys=no',
      '-o',
      'ControlPath=none',
      ...off,
      '-N',
      '--',
      this.target.host,
    ];
    try {
      await runSsh(args, { timeoutMs: 30_000, signal });
      const text = existsSync(scratch) ? readFileSync(scratch, 'utf8') : '';
      const line = text
        .split('\n')
        .map((l) => l.trim())
        .find((l) => l !== '' && !l.startsWith('#'));
      if (!line) return undefined;
      const fp = spawnSync('ssh-keygen', ['-l', '-f', scratch], { encoding: 'utf8', timeout: 10_000 });
      const m = /^\d+\s+(\S+)\s+.*\((\S+)\)\s*$/m.exec(fp.stdout ?? '');
      return { fingerprint: m?.[1] ?? '(unknown fingerprint)', type: m?.[2] ?? line.split(/\s+/)[1], line };
    } catch {
      return undefined;
    }
  }

  /** Runs one command on dom0 over the connection. A non-zero exit of the command is a result, not an error. */
  async exec(words: readonly string[], opts: ExecOptions): Promise<RunResult> {
    const line = commandLine(this.settings.sudo ? ['sudo', '-n', ...words] : words);
    await this.connect(opts.signal);
    return this.sessions.run(async () => {
      const args = [...this.baseArgs(), '-S', this.socket, '-o', 'ControlMaster=no', '--', this.target.host, line];
      const r = await runSsh(args, opts);
      const fields = {
        argv: [...words],
        duration_ms: Math.round(r.durationMs * 10) / 10,
        destination: this.destination,
      };
      if (r.aborted) {
        this.log?.trace('remote command aborted', fields);
        throw new XlAbortedError(words);
      }
      if (r.timedOut) {
        this.log?.trace('remote command timed out', { ...fields, timeout_ms: opts.timeoutMs });
        throw new XlTimeoutError(words, opts.timeoutMs);
      }
      const code = r.code ?? 128;
      // Exit 255 is ssh's own failure when ssh says so or the master went away meanwhile; else the remote command's.
      const direct = /Control socket connect\(/.test(r.stderr);
      if (direct) this.forgetStaleSocket();
      if (code === 255 && (classifySshFailure(r.stderr) !== undefined || (!direct && !(await this.masterAlive())))) {
        this.log?.warn('ssh failed during a remote command', { ...fields, stderr: r.stderr });
        throw new SshConnectionLostError(
          this.destination,
          words.join(' '),
          r.stderr.trim() ? sshMessage(r.stderr) : 'dom0 stopped answering',
        );
      }
      this.log?.trace('toolstack command finished', { ...fields, exit_code: code });
      return { stdout: r.stdout, stderr: r.stderr, exitCode: code, durationMs: r.durationMs };
    });
  }

  /** Whether the master connection still answers on its control socket (`ssh -O check`). */
  private async masterAlive(): Promise<boolean> {
    if (!existsSync(this.socket)) return false;
    const r = await runSsh(this.masterArgs('check'), { timeoutMs: 10_000 }).catch(() => undefined);
    if (r?.code === 0) return true;
    this.forgetStaleSocket();
    return false;
  }

  /** The master died without removing its socket: ssh went direct this time; the next command opens a new master. */
  private forgetStaleSocket(): void {
    try {
      unlinkSync(this.socket);
    } catch {
      /* already gone */
    }
  }

  private masterArgs(op: string): string[] {
    return ['-F', this.configFile, '-S', this.socket, '-O', op, '--', this.target.host];
  }

  /** Closes the master connection and removes the private directory. */
  async close(): Promise<void> {
    if (!this.dir) return;
    if (existsSync(this.socket)) await runSsh(this.masterArgs('exit'), { timeoutMs: 10_000 }).catch(() => undefined);
    this.removeDir();
  }

  private closeSync(): void {
    if (!this.dir) return;
    if (existsSync(this.socket)) spawnSync(sshProgram(), this.masterArgs('exit'), { stdio: 'ignore', timeout: 5_000 });
    this.removeDir();
  }

  private removeDir(): void {
    process.removeListener('exit', this.onExit);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
