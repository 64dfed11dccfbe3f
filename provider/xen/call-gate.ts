// Lets a stopping provider finish the host calls in flight and start no new one. Killing `xl create` half way leaves
// a half-built domain, so when Terraform goes away the provider closes the gate, waits for the calls already running,
// and only then exits.

import { XlStoppedError } from './errors';

export class CallGate {
  private inFlight = 0;
  private stopReason: string | undefined;
  private idleWaiters: Array<() => void> = [];

  /** Throws XlStoppedError once stop() was called; otherwise counts the call as in flight until leave(). */
  enter(argv: readonly string[]): void {
    if (this.stopReason !== undefined) throw new XlStoppedError(argv, this.stopReason);
    this.inFlight++;
  }

  leave(): void {
    this.inFlight--;
    if (this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  get running(): number {
    return this.inFlight;
  }

  /** From now on every new call is refused; resolves when the calls in flight have finished. */
  stop(reason: string): Promise<void> {
    this.stopReason ??= reason;
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
