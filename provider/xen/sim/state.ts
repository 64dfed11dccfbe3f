// The simulated host's state: one JSON document in DIR/state.json. Readers load it without a lock (it is only ever
// replaced by rename, so a reader sees the old or the new document, never half of one); writers mutate it under
// DIR/state.lock and publish it with write-temp + rename, so a SIGKILL at any point leaves either the previous or the
// next state (a killed process's writes are in the page cache all the same). Only a crash of the machine itself could
// lose the rename; XEN_SIM_FSYNC=1 adds fsync(temp) and fsync(dir) for that, at ~5 ms a mutation here.

import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { DomainSpec } from './domconfig';
import { DiskSpec, NicSpec, PciSpec } from './devspec';
import { FlaskMode, Inventory } from './inventory';
import type { PolicyFacts } from '../flask/facts';
import { acquireLock, inProcessTurn } from './lock';

export const STATE_VERSION = 1;

export interface NicDevice extends NicSpec {
  devid: number;
  mac: string;
  backendDomid: number;
  attachedAt: number;
  /** The backend domain crashed or was destroyed: no backend node, the frontend is Closed (6). */
  backendGone?: boolean;
  /** The xl that attached it was killed before the hotplug ran: the backend waits in InitWait forever. */
  hotplugStalled?: boolean;
}

export interface DiskDevice extends DiskSpec {
  devid: number;
  backendDomid: number;
  attachedAt: number;
  backendGone?: boolean;
  hotplugStalled?: boolean;
}

/** A vTPM frontend of this domain (xl.cfg vtpm= or vtpm-attach), served by backendDomid. */
export interface VtpmDevice {
  devid: number;
  backend: string;
  uuid: string;
  backendDomid: number;
  attachedAt: number;
  /** The serving domain was destroyed: its backend node is gone and the frontend Closed (6). */
  backendGone?: boolean;
}

export interface SimDomain {
  domid: number;
  name: string;
  spec: DomainSpec;
  createdAt: number;
  paused: boolean;
  targetMemKb: number;
  maxMemKb: number;
  maxVcpus: number;
  onlineVcpus: number;
  /** FLASK label `xl list -Z` shows; null when FLASK is disabled. */
  label: string | null;
  nics: NicDevice[];
  disks: DiskDevice[];
  pcis: PciSpec[];
  /** Absent in states written before vTPM support: read as none. */
  vtpms?: VtpmDevice[];
  /** `xl devd` runs in this domain (only meaningful for driver domains). */
  devdRunning: boolean;
  devdSince: number;
  /**
   * devids of vifs removed by network-detach: libxl 4.17 leaves them in the domain's stored JSON, so `xl list -l`
   * warns "Device present in JSON but not in xenstore, ignored" for each until a vif with that devid is added again.
   */
  staleJsonVifs?: number[];
  /** BDFs removed by pci-detach: likewise left in the stored JSON (seen on real 4.17 after pci-detach). */
  staleJsonPcis?: string[];
  /** For a device-model stub domain: the domid of the HVM guest it serves. */
  stubdomFor?: number;
}

export interface PciState {
  driver: string | null;
  /** The driver to rebind on `pci-assignable-remove -r`, recorded by pci-assignable-add. */
  savedDriver?: string | null;
  /** FLASK label set by flask-label-pci; absent: device_t (the policy's default for devices). Kept until reboot. */
  label?: string;
}

export type FaultKind = 'fail-once' | 'hang' | 'kill-caller';
/** Where a kill-caller fault strikes: before the command does anything, half way through it, or after it. */
export type KillPhase = 'before' | 'during' | 'after';
export interface Fault {
  kind: FaultKind;
  /** One subcommand, or for kill-caller a comma-separated list. */
  subcommand: string;
  exitCode?: number;
  message?: string;
  seconds?: number;
  phase?: KillPhase;
  /** kill-caller: matching invocations still to let through before it strikes. */
  skip?: number;
}

export interface SimState {
  version: number;
  /** Bumped on every committed mutation; tests use it to prove no update was lost. */
  generation: number;
  bootedAt: number;
  inventory: Inventory;
  nextDomid: number;
  domains: SimDomain[];
  pci: Record<string, PciState>;
  /** facts: of the compiled policy loaded with xl loadpolicy; without, only the inventory's type names are known. */
  flask: { mode: FlaskMode; types: string[]; policySha256?: string; facts?: PolicyFacts };
  /** Hypervisor messages since boot that `xl dmesg` shows after the boot log (avc denials, flask notices). */
  xenLog?: string[];
  faults: Fault[];
}

export class StateError extends Error {}

export function initialState(inventory: Inventory, now: number): SimState {
  const dom0: SimDomain = {
    domid: 0,
    name: 'Domain-0',
    spec: {
      type: 'pv',
      name: 'Domain-0',
      uuid: '00000000-0000-0000-0000-000000000000',
      driverDomain: false,
      stubdomain: false,
      e820Host: false,
      nics: [],
      disks: [],
      pcis: [],
      onPoweroff: 'destroy',
      onReboot: 'restart',
      onWatchdog: 'destroy',
      onCrash: 'destroy',
      onSoftReset: 'soft-reset',
    },
    createdAt: now,
    paused: false,
    targetMemKb: inventory.dom0.memory_mib * 1024,
    maxMemKb: inventory.dom0.memory_mib * 1024,
    maxVcpus: inventory.dom0.vcpus,
    onlineVcpus: inventory.dom0.vcpus,
    label: inventory.flask.mode === 'disabled' ? null : 'system_u:system_r:dom0_t',
    nics: [],
    disks: [],
    pcis: [],
    devdRunning: true,
    devdSince: now,
  };
  const pci: Record<string, PciState> = {};
  for (const f of inventory.pci) pci[f.bdf] = { driver: f.driver };
  return {
    version: STATE_VERSION,
    generation: 0,
    bootedAt: now,
    inventory,
    nextDomid: 1,
    domains: [dom0],
    pci,
    flask: { mode: inventory.flask.mode, types: [...inventory.flask.policy_types] },
    faults: [],
  };
}

/** Structural checks the kill test relies on: anything a torn write could produce fails here. */
export function checkState(s: SimState): string[] {
  const problems: string[] = [];
  if (s.version !== STATE_VERSION) problems.push(`version ${s.version}`);
  if (!Array.isArray(s.domains) || !s.domains.some((d) => d.domid === 0 && d.name === 'Domain-0'))
    problems.push('Domain-0 missing');
  const ids = new Set<number>();
  const names = new Set<string>();
  for (const d of s.domains ?? []) {
    if (ids.has(d.domid)) problems.push(`duplicate domid ${d.domid}`);
    if (names.has(d.name)) problems.push(`duplicate name ${d.name}`);
    ids.add(d.domid);
    names.add(d.name);
    if (d.domid >= s.nextDomid && d.domid !== 0) problems.push(`domid ${d.domid} >= nextDomid ${s.nextDomid}`);
    const devids = new Set(d.nics.map((n) => n.devid));
    if (devids.size !== d.nics.length) problems.push(`duplicate vif devid in ${d.name}`);
  }
  const assigned = new Map<string, string>();
  for (const d of s.domains ?? []) {
    for (const p of d.pcis) {
      if (assigned.has(p.bdf)) problems.push(`${p.bdf} assigned to ${assigned.get(p.bdf)} and ${d.name}`);
      assigned.set(p.bdf, d.name);
    }
  }
  return problems;
}

/** The last state parsed for readers, per state file, with the version of the file it came from. */
const parsed = new Map<string, { version: string; state: SimState }>();

function deepFreeze(o: unknown): void {
  if (o === null || typeof o !== 'object' || Object.isFrozen(o)) return;
  Object.freeze(o);
  for (const v of Object.values(o)) deepFreeze(v);
}

export class StateStore {
  readonly statePath: string;
  readonly lockPath: string;

  /**
   * @param holdMs test hook (XEN_SIM_DEBUG_HOLD_MS): wait this long holding the lock before publishing, so the kill
   *   test can land SIGKILLs inside the critical section.
   */
  constructor(
    readonly dir: string,
    private readonly lockTimeoutMs = 30000,
    private readonly holdMs = 0,
    private readonly signal?: AbortSignal,
    private readonly durable = false,
  ) {
    this.statePath = join(dir, 'state.json');
    this.lockPath = join(dir, 'state.lock');
  }

  /**
   * The current state for a reader, frozen (a reader that tried to change it would throw): parsed once per version of
   * state.json and reused while the file is the same one. Every write replaces the file by rename, so another inode,
   * size or change time means another version; the simulator run inside the provider reads it several times a call.
   */
  readLatest(): SimState | null {
    let st;
    try {
      st = statSync(this.statePath, { bigint: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    const version = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    const hit = parsed.get(this.statePath);
    if (hit?.version === version) return hit.state;
    const state = this.tryLoad();
    if (!state) return null;
    deepFreeze(state);
    parsed.set(this.statePath, { version, state });
    return state;
  }

  /** The current state, or null when the directory has none yet: a fresh copy the caller may change. */
  tryLoad(): SimState | null {
    let text: string;
    try {
      text = readFileSync(this.statePath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    let s: SimState;
    try {
      s = JSON.parse(text) as SimState;
    } catch (e) {
      throw new StateError(`xl-sim: ${this.statePath} is not valid JSON: ${(e as Error).message}`);
    }
    if (s.version !== STATE_VERSION)
      throw new StateError(`xl-sim: ${this.statePath} has state version ${s.version}, expected ${STATE_VERSION}`);
    return s;
  }

  /** Creates the state from `inventory()` on first use; later calls return what is there. */
  async loadOrInit(inventory: () => Inventory, onInit?: (s: SimState) => void): Promise<SimState> {
    const s = this.readLatest();
    if (s) return s;
    return this.mutate(() => undefined, inventory, onInit).then((r) => r.state);
  }

  /**
   * Runs `fn` on the freshest state under the lock and publishes the result. `fn` may throw to abort without writing;
   * returning `{ commit: false }`-style behaviour is expressed by throwing. `after` runs under the lock once the new
   * state is durable (the sysfs mirror follows it there).
   */
  async mutate<T>(
    fn: (s: SimState) => T,
    inventory?: () => Inventory,
    after?: (s: SimState) => void,
  ): Promise<{ state: SimState; result: T }> {
    mkdirSync(this.dir, { recursive: true });
    const start = Date.now();
    const leaveQueue = await inProcessTurn(this.lockPath, this.lockTimeoutMs, this.signal);
    let release: () => void;
    try {
      release = await acquireLock(this.lockPath, Math.max(0, this.lockTimeoutMs - (Date.now() - start)), this.signal);
    } catch (e) {
      leaveQueue();
      throw e;
    }
    try {
      this.removeStaleTemps();
      let s = this.tryLoad();
      if (!s) {
        if (!inventory) throw new StateError(`xl-sim: no state in ${this.dir}`);
        s = initialState(inventory(), Date.now());
      }
      const result = fn(s);
      if (this.holdMs > 0) await new Promise((r) => setTimeout(r, this.holdMs));
      s.generation++;
      this.write(s);
      after?.(s);
      return { state: s, result };
    } finally {
      release();
      leaveQueue();
    }
  }

  private write(s: SimState): void {
    const tmp = `${this.statePath}.tmp.${process.pid}`;
    const fd = openSync(tmp, 'w', 0o644);
    try {
      writeSync(fd, JSON.stringify(s));
      if (this.durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.statePath);
    if (!this.durable) return;
    const dfd = openSync(this.dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }

  /** Temp files of writers killed before their rename; only the lock holder may remove them. */
  private removeStaleTemps(): void {
    for (const name of readdirSync(this.dir)) {
      if (name.startsWith('state.json.tmp.') || name.startsWith('state.lock.stale.')) {
        try {
          unlinkSync(join(this.dir, name));
        } catch {
          /* gone */
        }
      }
    }
  }
}
