// An exclusive lock on the simulator's state directory. O_EXCL creation of a file holding the owner's pid; a lock
// whose owner is dead (SIGKILL mid-command) is broken by renaming it away, which only one contender can win.

import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';

export class LockTimeoutError extends Error {
  constructor(path: string, waitedMs: number, holder: string) {
    super(
      `xl-sim: timed out after ${waitedMs} ms waiting for the state lock ${path} (held by pid ${holder || 'unknown'})`,
    );
    this.name = 'LockTimeoutError';
  }
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Breaks the lock at `path` when its holder is dead. Returns true when the caller should retry at once. */
function breakIfStale(path: string, holder: string): boolean {
  // An empty file is a lock whose creator died between open and write: stale once it stays empty.
  if (holder !== '' && pidAlive(Number(holder))) return false;
  if (holder === '') return false;
  const aside = `${path}.stale.${process.pid}.${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch {
    return true; // someone else broke or released it
  }
  const moved = readHolder(aside);
  if (moved !== holder && moved !== '' && pidAlive(Number(moved))) {
    // We raced with a fresh owner and moved its live lock: put it back if the name is still free.
    try {
      linkSync(aside, path);
    } catch {
      /* a third process already holds a new lock; the fresh owner finishes under its own lock */
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    /* already gone */
  }
  return true;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The tail of each lock's queue of callers in this process (the simulator run inside the provider). */
const turns = new Map<string, Promise<void>>();

/**
 * Waits until no earlier caller in this process holds or waits for the lock at `path`; returns the function that
 * lets the next one go. Callers in one process line up here instead of polling the lock file against each other
 * (they share a pid, which the file cannot tell apart); the file still decides between processes.
 */
export async function inProcessTurn(path: string, timeoutMs: number, signal?: AbortSignal): Promise<() => void> {
  const prev = turns.get(path) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((r) => {
    done = r;
  });
  const tail = prev.then(() => mine);
  turns.set(path, tail);
  const leave = () => {
    done();
    if (turns.get(path) === tail) turns.delete(path);
  };
  const start = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      prev,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new LockTimeoutError(path, Date.now() - start, String(process.pid))),
          timeoutMs,
        );
        onAbort = () => reject(new LockAbortedError(path));
        if (signal?.aborted) onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } catch (e) {
    // Given up: the queue still moves on past this caller once the one before it is done.
    void prev.then(leave);
    throw e;
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
  return leave;
}

/** The caller stopped waiting for the lock (its timeout, or Terraform cancelling). */
export class LockAbortedError extends Error {
  constructor(path: string) {
    super(`xl-sim: gave up waiting for the state lock ${path}`);
    this.name = 'LockAbortedError';
  }
}

export async function acquireLock(path: string, timeoutMs: number, signal?: AbortSignal): Promise<() => void> {
  const start = Date.now();
  let delay = 1;
  let emptySince = 0;
  for (;;) {
    if (signal?.aborted) throw new LockAbortedError(path);
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return () => {
        try {
          if (readHolder(path) === String(process.pid)) unlinkSync(path);
        } catch {
          /* lock already broken */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readHolder(path);
    if (holder === '') {
      emptySince ||= Date.now();
      if (Date.now() - emptySince > 2000) {
        try {
          unlinkSync(path);
        } catch {
          /* gone */
        }
        emptySince = 0;
        continue;
      }
    } else {
      emptySince = 0;
      if (breakIfStale(path, holder)) continue;
    }
    const waited = Date.now() - start;
    if (waited >= timeoutMs) throw new LockTimeoutError(path, waited, holder);
    await sleep(delay);
    delay = Math.min(delay * 2, 25);
  }
}
