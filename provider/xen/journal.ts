// The provider's record of the objects it creates on the host, so that a create interrupted anywhere (Terraform or
// the provider killed, the connection to dom0 lost) is recognised by the next apply as this provider's own unfinished
// work and finished or adopted: never orphaned, never made twice.
//
// One small JSON file per operation under CONFIG_DIR/journal, written BEFORE the xl call ("pending") and marked
// "done" after it. Each names the kind of object, a key that a retry of the same create computes again from its plan
// (a domain's name; a vif's domain, backend and settings; ...), and the mark the object carries on the host (a
// domain's uuid, a vif's MAC, a disk's domain/vdev, a PCI function's BDF). An entry is removed as soon as Terraform
// shows the provider that object in its state (refresh or state upgrade): from then on the object belongs to that
// resource, and no other create may adopt it. Within one provider process an entry is used by one create at most,
// so two resources with the same configuration never claim one object.

import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Logger } from '../log';
import type { HostFiles } from './host';

/** 'release': a function to give back to dom0 once the domain holding it detaches it (xen_pci_assignable delete). */
export type JournalKind = 'domain' | 'vif' | 'disk' | 'pci' | 'release';
export type JournalStatus = 'pending' | 'done';
export type JournalData = Record<string, string | number | boolean | null>;

export interface JournalEntry {
  v: 1;
  kind: JournalKind;
  key: string;
  mark: string;
  status: JournalStatus;
  /** ISO time the operation started. */
  started: string;
  /**
   * ISO time until which the xl call it records may still be running (its timeout): the provider that started it may
   * be dead while that xl is not, and finishes after a retry looked (see stillRunning).
   */
  until: string;
  /** The xl call's argv words that identify it in the host's process table (see Toolstack.xlRunning). */
  call: string[];
  data: JournalData;
}

/** Entries are a few hundred bytes; anything larger is not ours. */
const MAX_ENTRY_BYTES = 64 * 1024;

function digest(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 16);
}

function fileName(kind: JournalKind, key: string, mark: string): string {
  return `${kind}.${digest(key)}.${digest(mark)}.json`;
}

export class Journal {
  private names?: Promise<Set<string>>;
  private readonly claimed = new Set<string>();
  /** Marks of objects Terraform showed this process from a state (see confirm). */
  private readonly held = new Set<string>();

  constructor(
    private readonly files: HostFiles,
    readonly dir: string,
    private readonly log?: Logger,
  ) {}

  /** The entry files, listed once per process and kept current with this process's own writes. */
  private index(): Promise<Set<string>> {
    this.names ??= this.files.listDir(this.dir).then(
      (all) => new Set(all.filter((n) => /^[a-z]+\.[0-9a-f]{16}\.[0-9a-f]{16}\.json$/.test(n))),
      (err: unknown) => {
        this.names = undefined;
        throw err;
      },
    );
    return this.names;
  }

  private async load(name: string): Promise<JournalEntry | undefined> {
    try {
      const text = await this.files.readText(path.join(this.dir, name), { maxBytes: MAX_ENTRY_BYTES });
      if (text === undefined) {
        (await this.index()).delete(name);
        return undefined;
      }
      const e = JSON.parse(text) as JournalEntry;
      if (e.v !== 1 || fileName(e.kind, e.key, e.mark) !== name) return undefined;
      return e;
    } catch (err) {
      this.log?.warn('ignoring an unreadable journal entry', {
        file: path.join(this.dir, name),
        error: (err as Error).message,
      });
      return undefined;
    }
  }

  private async store(e: JournalEntry): Promise<void> {
    const name = fileName(e.kind, e.key, e.mark);
    await this.files.writeFileAtomic(path.join(this.dir, name), JSON.stringify(e) + '\n');
    (await this.index()).add(name);
  }

  /**
   * Records an operation about to start: its xl call (the argv words that identify it, and how long it may take); the
   * entry is this process's (no other create here may adopt it).
   */
  async begin(
    kind: JournalKind,
    key: string,
    mark: string,
    call: { words: string[]; ms: number },
    data: JournalData = {},
  ): Promise<JournalEntry> {
    const now = Date.now();
    const e: JournalEntry = {
      v: 1,
      kind,
      key,
      mark,
      status: 'pending',
      started: new Date(now).toISOString(),
      until: new Date(now + call.ms).toISOString(),
      call: call.words,
      data,
    };
    await this.store(e);
    this.claim(e);
    this.log?.debug('journal: operation started', { kind, mark });
    return e;
  }

  /** Keeps changed data of an entry that stays pending (what the next apply has to know). */
  async update(e: JournalEntry): Promise<void> {
    await this.store(e);
  }

  /** The xl call returned: the object exists and is complete. */
  async complete(e: JournalEntry): Promise<void> {
    e.status = 'done';
    await this.store(e);
  }

  /** The object does not exist (the call failed before making it, or it was removed): nothing to adopt. */
  async forget(e: JournalEntry): Promise<void> {
    const name = fileName(e.kind, e.key, e.mark);
    await this.files.removeFile(path.join(this.dir, name));
    (await this.index()).delete(name);
  }

  claim(e: JournalEntry): void {
    this.claimed.add(fileName(e.kind, e.key, e.mark));
  }

  /** Hands the entry on: a later operation of this process may take it (a deferred give-back for the domain's update). */
  unclaim(e: JournalEntry): void {
    this.claimed.delete(fileName(e.kind, e.key, e.mark));
  }

  /**
   * Takes the entry for one create unless another create of this process took it first; synchronous, so two creates
   * that listed the same candidates concurrently never both take one.
   */
  tryClaim(e: JournalEntry): boolean {
    const name = fileName(e.kind, e.key, e.mark);
    if (this.claimed.has(name)) return false;
    this.claimed.add(name);
    return true;
  }

  /** Unfinished or unrecorded work for this key that no create of this process has taken yet. */
  async candidates(kind: JournalKind, key: string): Promise<JournalEntry[]> {
    const prefix = `${kind}.${digest(key)}.`;
    const names = [...(await this.index())].filter((n) => n.startsWith(prefix) && !this.claimed.has(n)).sort();
    const out: JournalEntry[] = [];
    for (const n of names) {
      const e = await this.load(n);
      if (e && e.key === key) out.push(e);
    }
    return out;
  }

  /** The entry that made the object with this mark for this key, if no create of this process has taken it. */
  async find(kind: JournalKind, key: string, mark: string): Promise<JournalEntry | undefined> {
    const name = fileName(kind, key, mark);
    if (!(await this.index()).has(name) || this.claimed.has(name)) return undefined;
    const e = await this.load(name);
    return e && e.key === key && e.mark === mark ? e : undefined;
  }

  /**
   * Terraform holds the object with this mark in a state: it is owned now, so its entries go. Costs no host call when
   * there is none (the common case: every refresh of every resource lands here).
   */
  async confirm(kind: JournalKind, mark: string): Promise<void> {
    this.held.add(`${kind}:${mark}`);
    const index = await this.index();
    if (index.size === 0) return;
    const suffix = `.${digest(mark)}.json`;
    const names = [...index].filter((n) => n.startsWith(`${kind}.`) && n.endsWith(suffix));
    for (const n of names) {
      await this.files.removeFile(path.join(this.dir, n));
      (await this.index()).delete(n);
      this.log?.debug('journal: object is in a Terraform state', { kind, mark });
    }
  }

  /**
   * Whether Terraform showed this process the object with this mark from a state. At plan, Terraform plans the new
   * half of a replacement (and the successor of a tainted object) as a create while the old object still exists;
   * such an object is held by the resource being replaced, not in the way of a foreign create.
   */
  isHeld(kind: JournalKind, mark: string): boolean {
    return this.held.has(`${kind}:${mark}`);
  }

  /**
   * Whether the xl call of a pending entry may still be running: an interrupted provider's xl goes on by itself, and
   * its object can appear after the next run looked for it. Such an entry is waited for, not forgotten.
   */
  stillRunning(e: JournalEntry, now = Date.now()): boolean {
    return e.status === 'pending' && now < Date.parse(e.until);
  }
}
