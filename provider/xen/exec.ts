// Runs one toolstack command: execFile with an argv array (never a shell), a timeout, an optional AbortSignal, and a
// trace line with the argv and its duration. A non-zero exit is a result, not an exception, because for some
// commands it is the answer (`xl getenforce` exits 1 when Enforcing); callers map failures with mapXlFailure.

import { execFile } from 'node:child_process';
import type { Logger } from '../log';
import { XlAbortedError, XlSpawnError, XlTimeoutError } from './errors';
import { recorded } from './record';

export interface RunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Extra environment variables (merged over process.env). */
  env?: Record<string, string>;
  /** For the timeout error message. */
  domain?: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  durationMs: number;
}

export type CommandRunner = (argv: readonly string[], opts: RunOptions) => Promise<RunResult>;

const MAX_BUFFER = 256 * 1024 * 1024;

export function createRunner(log?: Logger): CommandRunner {
  return recorded(runCommand(log));
}

/** execFile, unrecorded (createRunner records). */
export function runCommand(log?: Logger): CommandRunner {
  return (argv, opts) =>
    new Promise<RunResult>((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(new XlAbortedError(argv));
        return;
      }
      const started = process.hrtime.bigint();
      const [file, ...args] = argv;
      execFile(
        file,
        args,
        {
          timeout: opts.timeoutMs,
          killSignal: 'SIGKILL',
          maxBuffer: MAX_BUFFER,
          encoding: 'utf8',
          windowsHide: true,
          // Every path xl gets is absolute; a fixed cwd keeps a relative one (or a program reading its first argument as a
          // script) from picking up files wherever Terraform was started.
          cwd: '/',
          signal: opts.signal,
          env: opts.env ? { ...process.env, ...opts.env } : process.env,
        },
        (error, stdout, stderr) => {
          const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
          const fields = { argv: [...argv], duration_ms: Math.round(durationMs * 10) / 10 };
          if (!error) {
            log?.trace('toolstack command finished', { ...fields, exit_code: 0 });
            resolve({ stdout, stderr, exitCode: 0, durationMs });
            return;
          }
          const e = error as NodeJS.ErrnoException & {
            killed?: boolean;
            signal?: string | null;
            code?: number | string;
          };
          if (e.name === 'AbortError' || opts.signal?.aborted) {
            log?.trace('toolstack command aborted', fields);
            reject(new XlAbortedError(argv));
          } else if (e.killed && durationMs >= opts.timeoutMs - 5) {
            log?.trace('toolstack command timed out', { ...fields, timeout_ms: opts.timeoutMs });
            reject(new XlTimeoutError(argv, opts.timeoutMs, opts.domain));
          } else if (typeof e.code === 'number') {
            log?.trace('toolstack command finished', { ...fields, exit_code: e.code });
            resolve({ stdout, stderr, exitCode: e.code, durationMs });
          } else if (e.signal) {
            log?.trace('toolstack command killed', { ...fields, signal: e.signal });
            resolve({ stdout, stderr: `${stderr}\n(killed by ${e.signal})`, exitCode: 128, durationMs });
          } else {
            log?.trace('toolstack command could not start', { ...fields, error: e.message });
            reject(new XlSpawnError(argv, e.code ? `${e.code} (${e.message})` : e.message));
          }
        },
      );
    });
}
