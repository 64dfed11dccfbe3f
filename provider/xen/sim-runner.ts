// Runs the simulated host's commands inside the provider's process (sim://). Each simulator call used to be a new
// node process: ~100 ms of start-up CPU each, most of an apply's time on a 2-core machine (1282 of them for 200
// domains). The simulator stays a host of its own: its state is the files in DIR, under the same cross-process lock
// (xl-sim run by hand or by a test goes on working beside it), and the command's argv is the one the subprocess would
// have had, so the record (XEN_PROVIDER_RECORD) and the traces are the same.
//
// What only a separate xl process can do is left to one: when a fault is armed for a command (a hang, a kill of the
// caller, an injected failure), runXlSim does nothing and the command runs as a subprocess, exactly as before.

import type { Logger } from '../log';
import { XlAbortedError, XlTimeoutError } from './errors';
import type { CommandRunner, RunResult } from './exec';
import { NEEDS_OWN_PROCESS, runXlSim } from './sim/cli';

/** Set to 1 to run every simulator command as its own process (how the provider ran it before). */
export const SIM_SUBPROCESS_ENV = 'XEN_SIM_SUBPROCESS';

export function simSubprocessForced(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[SIM_SUBPROCESS_ENV] === '1';
}

/**
 * A CommandRunner for argvs that start with `prefix` (the provider's own binary and `__xl-sim`): those run here;
 * anything else, and a command with a fault armed, goes to `subprocess`.
 */
export function inProcessSimRunner(prefix: readonly string[], subprocess: CommandRunner, log?: Logger): CommandRunner {
  const ours = (argv: readonly string[]) => argv.length > prefix.length && prefix.every((p, i) => argv[i] === p);
  return async (argv, opts) => {
    if (!ours(argv)) return subprocess(argv, opts);
    if (opts.signal?.aborted) throw new XlAbortedError(argv);
    const started = process.hrtime.bigint();
    let stdout = '';
    let stderr = '';
    const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) };
    // A subprocess past its timeout is killed; here the only place a command waits is the state lock, which this
    // signal ends. Once it holds the lock a command runs to the end, as a killed xl's published state would show.
    const stop = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stop.abort();
    }, opts.timeoutMs);
    const onAbort = () => stop.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let code: number;
    try {
      code = await runXlSim(argv.slice(prefix.length), opts.env ? { ...process.env, ...opts.env } : process.env, io, {
        inProcess: true,
        signal: stop.signal,
      });
    } catch (e) {
      if (timedOut) throw new XlTimeoutError(argv, opts.timeoutMs, opts.domain);
      if (opts.signal?.aborted) throw new XlAbortedError(argv);
      // What dist/xl-sim prints and exits with on an internal error (sim/main.ts).
      stderr += `xl-sim: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`;
      code = 70;
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
    if (code === NEEDS_OWN_PROCESS) return subprocess(argv, opts);
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    log?.trace('toolstack command finished', {
      argv: [...argv],
      duration_ms: Math.round(durationMs * 10) / 10,
      exit_code: code,
      in_process: true,
    });
    const r: RunResult = { stdout, stderr, exitCode: code, durationMs };
    return r;
  };
}
