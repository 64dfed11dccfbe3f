// Which FLASK policy a plan checks labels against. Real xl has no command that shows the loaded policy, so the
// provider knows it only in two ways: the xen_flask_policy planned in this run (its compiled file, read and parsed at
// plan), or the record it wrote on the host the last time it loaded a policy. A policy loaded by other means (the
// boot loader, `xl loadpolicy` by hand) is unknown, and labels are then not checked against it.

import * as path from 'node:path';
import type { Toolstack } from '../toolstack';
import type { PolicyFacts } from './facts';

export interface KnownPolicy {
  file: string;
  sha256: string;
  facts: PolicyFacts;
  /** Where the knowledge comes from, for messages. */
  source: 'planned' | 'loaded';
}

/** Beside the crash journal's entries (whose names it does not match): one line, at most 64 KiB, like them. */
const RECORD = 'flask.0.0.json';
const MAX_RECORD_BYTES = 64 * 1024;

function validFacts(f: unknown): f is PolicyFacts {
  const o = f as PolicyFacts;
  const strArrays = (r: unknown) =>
    typeof r === 'object' &&
    r !== null &&
    Object.values(r).every((v) => Array.isArray(v) && v.every((x) => typeof x === 'string'));
  return (
    typeof o === 'object' &&
    o !== null &&
    strArrays(o.users) &&
    strArrays(o.roles) &&
    strArrays(o.types) &&
    typeof o.aliases === 'object' &&
    Array.isArray(o.noiommu)
  );
}

export class FlaskKnowledge {
  /** Set by xen_flask_policy's plan in this provider process. */
  private planned?: KnownPolicy;
  private recorded?: Promise<KnownPolicy | undefined>;

  constructor(private readonly ts: Toolstack) {}

  private get recordFile(): string {
    return path.posix.join(this.ts.configDir, 'journal', RECORD);
  }

  plan(p: Omit<KnownPolicy, 'source'>): void {
    this.planned = { ...p, source: 'planned' };
  }

  /** The policy labels are checked against, or undefined when none is known. */
  current(signal?: AbortSignal): Promise<KnownPolicy | undefined> {
    if (this.planned) return Promise.resolve(this.planned);
    // The record changes only through this process (recordLoaded) or another provider run: read once per process.
    this.recorded ??= this.readRecord(signal).catch(() => undefined);
    return this.recorded;
  }

  private async readRecord(signal?: AbortSignal): Promise<KnownPolicy | undefined> {
    let text: string | undefined;
    try {
      text = await this.ts.files.readText(this.recordFile, { maxBytes: MAX_RECORD_BYTES, signal });
    } catch {
      this.recorded = undefined; // not read (cancelled, unreachable): asked again next time
      return undefined;
    }
    if (!text) return undefined;
    try {
      const r = JSON.parse(text) as { v?: number; kind?: string; file?: unknown; sha256?: unknown; facts?: unknown };
      if (
        r.v !== 1 ||
        r.kind !== 'flask' ||
        typeof r.file !== 'string' ||
        typeof r.sha256 !== 'string' ||
        !validFacts(r.facts)
      )
        return undefined;
      return { file: r.file, sha256: r.sha256, facts: r.facts, source: 'loaded' };
    } catch {
      return undefined;
    }
  }

  /** After a load: what later plans (other configurations, later runs) check labels against. */
  async recordLoaded(p: Omit<KnownPolicy, 'source'>): Promise<boolean> {
    const line = JSON.stringify({ v: 1, kind: 'flask', file: p.file, sha256: p.sha256, facts: p.facts });
    if (line.length > MAX_RECORD_BYTES - 1 || /[^ -~]/.test(line)) return false;
    await this.ts.files.writeFileAtomic(this.recordFile, line + '\n');
    this.planned = { ...p, source: 'planned' };
    return true;
  }
}
