// A bound on host work that has no timeout of its own (reading a host file): the work is told to stop through its
// signal, and the caller gets DeadlineError when it passes, even if the work itself cannot be interrupted.

export class DeadlineError extends Error {
  constructor(readonly ms: number) {
    super(`did not finish within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

export async function withinDeadline<T>(
  ms: number,
  signal: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const expired = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const overdue = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired.abort(new DeadlineError(ms));
      reject(new DeadlineError(ms));
    }, ms);
  });
  const running = work(AbortSignal.any([signal, expired.signal]));
  running.catch(() => undefined);
  try {
    return await Promise.race([running, overdue]);
  } finally {
    clearTimeout(timer);
  }
}
