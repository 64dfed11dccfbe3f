// The xen-lab (../shared/xen-lab/run.sh) seen from the harness: boot, copy files, run argv in dom0, stop. Every call
// is an argv array (execFile/spawn, no shell on this side); `exec` keeps dom0's exit code and streams.

import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export interface CmdResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface LabOptions {
  /** ../shared/xen-lab/run.sh relative to the checkout. */
  script: string;
  env?: NodeJS.ProcessEnv;
}

export function defaultLabScript(checkout: string): string {
  return path.resolve(checkout, '..', 'shared', 'xen-lab', 'run.sh');
}

/**
 * Runs argv in a process group of its own and collects its output; `timeoutMs` kills the whole group (code 124, as
 * timeout(1) reports), so a Terraform killed on timeout takes the provider processes it started with it.
 */
export function runGroup(
  argv: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<CmdResult> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, opts.timeoutMs ?? 600_000);
    child.on('error', (e) => err.push(Buffer.from(`\ncould not start ${argv[0]}: ${e.message}`)));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code: timedOut ? 124 : (code ?? 127),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** Runs argv and collects its output; `timeoutMs` kills it (code 124, as timeout(1) reports). */
export function run(
  argv: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<CmdResult> {
  return new Promise((resolve) => {
    execFile(
      argv[0],
      argv.slice(1),
      {
        env: opts.env ?? process.env,
        cwd: opts.cwd,
        timeout: opts.timeoutMs ?? 600_000,
        killSignal: 'SIGKILL',
        maxBuffer: 256 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        let code = 0;
        if (err) {
          const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
          code = typeof e.code === 'number' ? e.code : e.killed ? 124 : 127;
          if (code === 127 && typeof e.code === 'string') stderr = `${stderr}\n${e.message}`;
        }
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Runs argv with its output streamed into `log` lines (long lab operations), resolving to the exit code. */
export function runStreaming(
  argv: readonly string[],
  onLine: (line: string) => void,
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 1_800_000);
    let buf = '';
    const feed = (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    child.on('error', (e) => {
      onLine(`could not start ${argv[0]}: ${e.message}`);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (buf) onLine(buf);
      resolve(code ?? 124);
    });
  });
}

export class Lab {
  constructor(private readonly o: LabOptions) {
    if (!existsSync(o.script))
      throw new Error(`xen-lab not found at ${o.script} (CI expects ../shared beside the checkout)`);
  }

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, ...this.o.env };
  }

  private cmd(args: string[], timeoutMs?: number): Promise<CmdResult> {
    return run([this.o.script, ...args], { env: this.env, timeoutMs });
  }

  /** Boots (fetch + build on first use) and blocks until dom0 is ready. */
  serve(onLine: (l: string) => void): Promise<number> {
    return runStreaming([this.o.script, 'serve'], onLine, { env: this.env, timeoutMs: 1_500_000 });
  }

  installNode(onLine: (l: string) => void): Promise<number> {
    return runStreaming([this.o.script, 'install-node'], onLine, { env: this.env, timeoutMs: 600_000 });
  }

  status(): Promise<CmdResult> {
    return this.cmd(['status'], 60_000);
  }

  stop(): Promise<CmdResult> {
    return this.cmd(['stop'], 120_000);
  }

  put(local: string, remote: string): Promise<CmdResult> {
    return this.cmd(['put', local, remote], 600_000);
  }

  get(remote: string, local: string): Promise<CmdResult> {
    return this.cmd(['get', remote, local], 600_000);
  }

  /** ARGV in dom0, each argument quoted by run.sh, no shell expansion. */
  exec(argv: readonly string[], timeoutMs = 120_000): Promise<CmdResult> {
    return this.cmd(['exec', ...argv], timeoutMs);
  }

  /** A shell command line in dom0 (for loops that poll there, saving an ssh round trip per poll). */
  sh(script: string, timeoutMs = 120_000): Promise<CmdResult> {
    return this.cmd(['ssh', script], timeoutMs);
  }
}
