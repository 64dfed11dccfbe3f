// One line per step with its duration and the stage's elapsed time, so a slow step shows in CI's log. A failed step
// ends the run (no retries: an assertion that failed once is a failure).

export class StepFailed extends Error {
  constructor(readonly step: string, message: string) {
    super(message);
  }
}

function fmt(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

export interface StepRecord {
  name: string;
  ms: number;
  ok: boolean;
}

export class Steps {
  readonly t0 = Date.now();
  readonly done: StepRecord[] = [];

  constructor(private readonly out: (line: string) => void = (l) => process.stdout.write(l + '\n')) {}

  line(text: string): void {
    this.out(`[test:xen] ${text}`);
  }

  elapsed(): string {
    return fmt(Date.now() - this.t0);
  }

  async step<T>(name: string, f: () => Promise<T>): Promise<T> {
    const t = Date.now();
    try {
      const r = await f();
      const ms = Date.now() - t;
      this.done.push({ name, ms, ok: true });
      this.line(`ok   ${fmt(ms).padStart(7)}  (at ${this.elapsed()})  ${name}`);
      return r;
    } catch (e) {
      const ms = Date.now() - t;
      this.done.push({ name, ms, ok: false });
      this.line(`FAIL ${fmt(ms).padStart(7)}  (at ${this.elapsed()})  ${name}`);
      throw e instanceof StepFailed ? e : new StepFailed(name, (e as Error).stack ?? String(e));
    }
  }
}

export { fmt as formatDuration };
