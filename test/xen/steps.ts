// One line per step with its duration and the stage's elapsed time, so a slow step shows in CI's log. A failed step
// ends the run (no retries: an assertion that failed once is a failure).

import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

export class StepFailed extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
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

/** How a stage ends: its lab stopped (unless kept for a rerun), timings.txt written, the first failure reported. */
export interface StageEnd {
  artifacts: string;
  /** Stops the lab when one was booted. */
  stopLab?: () => Promise<unknown>;
  failed?: StepFailed;
  /** Steps that failed without ending the stage; the first is reported when nothing failed hard. */
  soft?: StepFailed[];
}

/** The exit code of a stage: 0 when every step passed. */
export async function finishStage(s: Steps, end: StageEnd): Promise<number> {
  if (end.stopLab && process.env.XEN_TEST_KEEP_LAB !== '1' && process.env.XEN_TEST_REUSE_LAB !== '1') {
    await s.step('lab: stop', end.stopLab).catch(() => undefined);
  }
  const timings = s.done.map((d) => `${d.ok ? 'ok  ' : 'FAIL'} ${fmt(d.ms).padStart(7)}  ${d.name}`).join('\n');
  writeFileSync(path.join(end.artifacts, 'timings.txt'), `${timings}\ntotal ${s.elapsed()}\n`);
  const soft = end.soft ?? [];
  const first = end.failed ?? soft[0];
  if (first) {
    s.line(
      `FAILED in step "${first.step}" after ${s.elapsed()}${soft.length && !end.failed ? ' (the other steps passed)' : ''}:`,
    );
    process.stdout.write(first.message + '\n');
    return 1;
  }
  s.line(`passed in ${s.elapsed()}`);
  return 0;
}

export { fmt as formatDuration };
