// Optional record of every toolstack command and its outcome, for the real-Xen fidelity check (test/xen): the same
// commands are replayed against the simulated host later and the outputs compared. Off unless
// XEN_PROVIDER_RECORD names a file; one JSON object per line, appended with a single write so that the several
// provider processes Terraform starts can share the file.

import { appendFileSync, readFileSync, statSync } from 'node:fs';

export interface CommandRecord {
  /** Who ran it: the provider, or a test harness acting as the user. */
  source: string;
  pid: number;
  /** Wall clock (ms since the epoch) when the command started and when it ended. */
  start: number;
  end: number;
  argv: string[];
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Contents of files named by absolute path in argv, read before the command ran (e.g. an xl config). */
  files: Record<string, string>;
  /** Set when the command did not finish normally (timeout, abort, spawn failure). */
  error?: string;
}

const MAX_FILE = 1024 * 1024;

export function recordTarget(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const f = env.XEN_PROVIDER_RECORD;
  return f && f.startsWith('/') ? f : undefined;
}

/** Config files are written just before and removed just after some commands (xl create -n), so read them first. */
export function inputFiles(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of argv.slice(1)) {
    if (!a.startsWith('/') || a.startsWith('/local/') || a.startsWith('/libxl/')) continue;
    try {
      const st = statSync(a);
      if (st.isFile() && st.size <= MAX_FILE) out[a] = readFileSync(a, 'utf8');
    } catch {
      // Not a file: an xenstore path or a missing file, which the command itself will report.
    }
  }
  return out;
}

/**
 * Display passwords stay out of the record (the replay only needs some password there): in an xl config, in libxl's
 * JSON (`xl list -l`, `xl create -n`: `"passwd": ...`) and in xenstore's copies (vncpasswd, console/vnc-pass).
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/^(\s*(?:vncpasswd|spicepasswd)\s*=\s*)("[^"\n]*"|'[^'\n]*')/gm, '$1"redacted"')
    .replace(/("passwd"\s*:\s*)"(?:[^"\\]|\\.)*"/g, '$1"redacted"')
    .replace(/(\/(?:vnc-pass|vncpasswd) = )"(?:[^"\\\n]|\\.)*"/g, '$1"redacted"');
}

function redactFiles(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([f, t]) => [f, redactSecrets(t)]));
}

export function appendRecord(file: string, rec: CommandRecord): void {
  try {
    appendFileSync(file, JSON.stringify(rec) + '\n');
  } catch {
    // Recording is a test aid; it must never break a real operation.
  }
}

/** What a recorded command returned; exec.ts's RunResult, by shape (exec.ts wraps its runner with recorded()). */
interface Finished {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * `run`, recording each command when XEN_PROVIDER_RECORD is set. `filesOf` gives the files an argv names: read here
 * for a local host; over ssh, the text the provider itself wrote there (dom0's files are not readable from here).
 */
export function recorded<O, R extends Finished>(
  run: (argv: readonly string[], opts: O) => Promise<R>,
  filesOf: (argv: readonly string[]) => Record<string, string> = inputFiles,
): (argv: readonly string[], opts: O) => Promise<R> {
  const target = recordTarget();
  if (!target) return run;
  return async (argv, opts) => {
    const files = redactFiles(filesOf(argv));
    const start = Date.now();
    const base = { source: 'provider', pid: process.pid, start, argv: [...argv], files };
    try {
      const r = await run(argv, opts);
      appendRecord(target, {
        ...base,
        end: Date.now(),
        exitCode: r.exitCode,
        stdout: redactSecrets(r.stdout),
        stderr: redactSecrets(r.stderr),
      });
      return r;
    } catch (e) {
      appendRecord(target, {
        ...base,
        end: Date.now(),
        exitCode: null,
        stdout: '',
        stderr: '',
        error: (e as Error).message,
      });
      throw e;
    }
  };
}
