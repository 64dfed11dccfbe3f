// The contract between the resources and the Xen host. Resources call only this interface; XlToolstack implements
// it over real `xl` or the simulated host (same class, different executable), on this machine or over ssh.

import type { Logger } from '../log';
import type { HostFiles } from './host';
import type {
  BlockListEntry,
  DiskSpec,
  HostFileKind,
  DomainConfig,
  DomainInfo,
  DomainRuntime,
  DomainSpec,
  FlaskMode,
  HostInfo,
  HostPciDevice,
  NetworkListEntry,
  PciListEntry,
  PciSpec,
  SpecDifference,
  VifSpec,
  VtpmListEntry,
} from './model';

export interface CallOptions {
  /**
   * Cancels the call. A read is killed at once; a change to the host (create, attach, destroy, ...) that has already
   * started is let finish, since killing xl half way leaves half-built domains and devices.
   */
  signal?: AbortSignal;
  /** Overrides the per-call default (xl_timeout, 30 s; four times that for create). */
  timeoutMs?: number;
}

export interface CreateResult {
  /** Where the rendered xl.cfg was written (already removed again when it held a display password). */
  configFile: string;
  /** libxl warnings from stderr, e.g. "XSM Disabled: seclabel not supported" (labels silently ignored!). */
  warnings: string[];
}

export interface DryRunResult {
  /** What libxl parsed from the rendered file. */
  config: DomainConfig;
  /** Fields where libxl understood something other than what the spec meant; empty when they agree. */
  differences: SpecDifference[];
  /** The rendered xl.cfg text that was checked. */
  configText: string;
  warnings: string[];
}

export type ShutdownOutcome = 'shutdown' | 'destroyed' | 'absent';

/** A change to the host that a create makes, as the journal records it (see Toolstack.callWords). */
export type CreateCall =
  | { op: 'create'; domain: string }
  | { op: 'network-attach'; domain: string; mac: string }
  | { op: 'block-attach'; domain: string }
  | { op: 'pci-assignable-add'; bdf: string };

export interface WaitForBackendOptions {
  kind: 'vif' | 'vbd';
  backendDomid: number;
  frontendDomid: number;
  devid: number;
  timeoutMs: number;
  signal?: AbortSignal;
  log?: Logger;
  /** Poll interval; default 250 ms. */
  intervalMs?: number;
}

export interface BackendStatus {
  path: string;
  state: number;
  hotplugStatus: string;
}

/** One vif's or vbd's backend as its serving domain's xenstore has it. */
export interface BackendView {
  /** False when the backend's xenstore directory is gone (backend domain restarted or crashed). */
  present: boolean;
  state: string;
  hotplugStatus: string;
}

export interface Toolstack {
  /** Where rendered xl.cfg files are kept. */
  readonly configDir: string;
  /** Files on the host: the provider's own records under configDir, and user files it must read there. */
  readonly files: HostFiles;

  /** Checks that the host answers and its xl is xl (`xl info`); throws a XenError saying what is wrong otherwise. */
  probe(opts?: CallOptions): Promise<void>;
  /**
   * Starts no host call from now on (each is refused with XlStoppedError) and resolves once the calls in flight have
   * finished: used when Terraform has gone away.
   */
  quiesce(reason: string): Promise<void>;
  /**
   * Whether an xl call with these argv words (in order) is running on the host; undefined when this connection cannot
   * tell. Asked about the call of an interrupted provider, whose xl goes on after the provider died.
   */
  xlRunning(words: readonly string[]): Promise<boolean | undefined>;
  /** The argv words that identify this call in the host's process table, for xlRunning. */
  callWords(call: CreateCall): string[];
  hostInfo(opts?: CallOptions): Promise<HostInfo>;
  flaskMode(opts?: CallOptions): Promise<FlaskMode>;
  /**
   * The types the loaded FLASK policy defines; undefined when they cannot be known (real xl has no command that lists
   * them) or when FLASK is disabled.
   */
  flaskPolicyTypes(opts?: CallOptions): Promise<string[] | undefined>;

  /** Every domain with its libxl config, from ONE `xl list -l` (results are briefly cached, see readCacheMs). */
  listDomains(opts?: CallOptions): Promise<DomainInfo[]>;
  /** undefined when no such domain. Served from listDomains. */
  getDomain(name: string, opts?: CallOptions): Promise<DomainInfo | undefined>;
  /**
   * One domain as the host has it now (`xl list -l NAME`), never from the cached listing: where only this domain
   * matters (before and after its create), without the listing of every domain, which grows with the host.
   */
  getDomainNow(name: string, opts?: CallOptions): Promise<DomainInfo | undefined>;
  /** One domain's run state now (`xl list -Z NAME`), as getDomainNow. */
  domainStateNow(name: string, opts?: CallOptions): Promise<DomainRuntime | undefined>;
  /** `xl list -Z`: runtime state flags and the hypervisor's FLASK label of every domain. */
  domainStates(opts?: CallOptions): Promise<DomainRuntime[]>;
  domainState(name: string, opts?: CallOptions): Promise<DomainRuntime | undefined>;

  /**
   * Render -> atomic write under configDir (mode 0600) -> `xl create FILE`. A config holding a secret (a display
   * password) is removed again once xl has read it, whether the create worked or not.
   */
  createDomain(spec: DomainSpec, opts?: CallOptions): Promise<CreateResult>;
  /** Render -> `xl create -n FILE` -> parsed libxl JSON compared with the spec. Creates nothing. */
  dryRun(spec: DomainSpec, opts?: CallOptions): Promise<DryRunResult>;
  /** Graceful `xl shutdown -w` within timeoutMs, then `xl destroy`. */
  shutdownDomain(name: string, opts: CallOptions & { timeoutMs: number }): Promise<ShutdownOutcome>;
  /** `xl destroy`; resolves quietly when the domain is already gone. */
  destroyDomain(name: string, opts?: CallOptions): Promise<void>;
  /** Balloon target in MiB. */
  memSet(name: string, mib: number, opts?: CallOptions): Promise<void>;
  vcpuSet(name: string, vcpus: number, opts?: CallOptions): Promise<void>;

  /** Normalized BDFs (`0000:03:00.0`). */
  pciAssignableList(opts?: CallOptions): Promise<string[]>;
  /**
   * `xl pci-assignable-add`. Under FLASK, Xen may refuse to quarantine the device after pciback has it: that failure
   * (QuarantineDeniedError) carries the hypervisor's avc denial from `xl dmesg` when it can be read.
   */
  pciAssignableAdd(bdf: string, opts?: CallOptions): Promise<void>;
  /**
   * `flask-label-pci BDF LABEL`: gives the device (its config space, BARs and IRQ) a FLASK label in the loaded policy.
   * Nothing can read a device's label back, and the label lasts until Xen reboots or a policy is loaded.
   */
  flaskLabelPci(bdf: string, label: string, opts?: CallOptions): Promise<void>;
  /** rebind: give the device back to its original dom0 driver (`-r`). */
  pciAssignableRemove(bdf: string, opts?: CallOptions & { rebind?: boolean }): Promise<void>;
  pciList(domain: string, opts?: CallOptions): Promise<PciListEntry[]>;
  pciAttach(domain: string, spec: PciSpec, opts?: CallOptions): Promise<void>;
  pciDetach(domain: string, bdf: string, opts?: CallOptions): Promise<void>;

  networkList(domain: string, opts?: CallOptions): Promise<NetworkListEntry[]>;
  /** Returns the devid of the new vif. */
  networkAttach(domain: string, vif: VifSpec, opts?: CallOptions): Promise<number>;
  networkDetach(domain: string, devid: number, opts?: CallOptions): Promise<void>;
  blockList(domain: string, opts?: CallOptions): Promise<BlockListEntry[]>;
  /** Returns the devid (numeric vdev) of the new disk. */
  blockAttach(domain: string, disk: DiskSpec, opts?: CallOptions): Promise<number>;
  blockDetach(domain: string, vdev: string, opts?: CallOptions): Promise<void>;

  /** `xl vtpm-list DOMAIN`: the domain's vTPM frontends and how far each is connected to its backend. */
  vtpmList(domain: string, opts?: CallOptions): Promise<VtpmListEntry[]>;

  /** undefined when the path does not exist. */
  xenstoreRead(path: string, opts?: CallOptions): Promise<string | undefined>;
  /** Flat map of full path -> value under path; empty when the path does not exist. */
  xenstoreLs(path: string, opts?: CallOptions): Promise<Record<string, string>>;
  /**
   * Every backend of one kind a domain serves (`/local/domain/BE/backend/KIND`, flat), cached like the listings so
   * that refreshing N devices costs one xenstore listing per serving domain.
   */
  backendTree(kind: 'vif' | 'vbd', backendDomid: number, opts?: CallOptions): Promise<Record<string, string>>;
  /** One device's backend, from its serving domain's backendTree (so N devices of one domain cost one listing). */
  backendView(
    kind: 'vif' | 'vbd',
    backendDomid: number,
    frontendDomid: number,
    devid: number,
    opts?: CallOptions,
  ): Promise<BackendView>;
  /** Polls the backend until state 4 and hotplug-status "connected"; throws HotplugTimeoutError explaining why not. */
  waitForBackend(opts: WaitForBackendOptions): Promise<BackendStatus>;

  loadPolicy(file: string, opts?: CallOptions): Promise<void>;
  setEnforce(mode: 'enforcing' | 'permissive', opts?: CallOptions): Promise<void>;

  /**
   * Whether the host starts the domain at boot: Debian's xendomains starts every config linked in its auto
   * directory (/etc/xen/auto; DIR/auto on the simulated host). The link points at the rendered config.
   */
  setAutostart(name: string, enabled: boolean): Promise<void>;
  autostartEnabled(name: string): Promise<boolean>;

  /** Every PCI function of the host, from sysfs. */
  hostPciDevices(): Promise<HostPciDevice[]>;
  /**
   * What each path is on the host, following links (kernels, ramdisks, firmware and disk targets a plan names), within
   * xl_timeout; 'unknown' where the host cannot tell. On the simulated host: the inventory's files.
   */
  hostFileKinds(files: readonly string[], opts?: CallOptions): Promise<Map<string, HostFileKind>>;
  /** Whether hostFileKinds sees every file of the host; the simulated host has only its inventory's (no disk images). */
  readonly modelsAllFiles: boolean;

  /** Where the toolstack runs, for messages: "this machine" or the ssh destination. */
  readonly where: string;
  /** Releases the connection to the host (the ssh master); the provider calls it when it shuts down. */
  close?(): Promise<void>;

  /** A read-only view that runs each listing at most once; use one per plan/refresh operation. */
  snapshot(): ToolstackSnapshot;
  /**
   * Forget cached listings (after changes made outside this Toolstack): all that a domain or device change can
   * alter, only the domain listings (`xl list -l`, `xl list`) when nothing changed here and only which domains exist
   * matters, or with 'policy' also the FLASK mode and policy (after a loadpolicy or setenforce).
   */
  invalidate(what?: 'all' | 'domains' | 'policy'): void;
}

/**
 * Memoizes the read calls for one operation, so reading N resources costs one `xl list -l`, one `xl list` and one
 * `xl pci-assignable-list`, however many resources ask.
 */
export class ToolstackSnapshot {
  private readonly memo = new Map<string, Promise<unknown>>();
  constructor(
    private readonly ts: Toolstack,
    private readonly opts: CallOptions = {},
  ) {}

  private once<T>(key: string, f: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = f();
      this.memo.set(key, p);
      // A failed read should not poison the snapshot: the next caller retries.
      p.catch(() => this.memo.delete(key));
    }
    return p;
  }

  listDomains(): Promise<DomainInfo[]> {
    return this.once('list-l', () => this.ts.listDomains(this.opts));
  }
  async getDomain(name: string): Promise<DomainInfo | undefined> {
    return (await this.listDomains()).find((d) => d.name === name);
  }
  domainStates(): Promise<DomainRuntime[]> {
    return this.once('list', () => this.ts.domainStates(this.opts));
  }
  async domainState(name: string): Promise<DomainRuntime | undefined> {
    return (await this.domainStates()).find((d) => d.name === name);
  }
  pciAssignableList(): Promise<string[]> {
    return this.once('pci-assignable', () => this.ts.pciAssignableList(this.opts));
  }
  hostInfo(): Promise<HostInfo> {
    return this.once('info', () => this.ts.hostInfo(this.opts));
  }
  flaskMode(): Promise<FlaskMode> {
    return this.once('flask', () => this.ts.flaskMode(this.opts));
  }
  flaskPolicyTypes(): Promise<string[] | undefined> {
    return this.once('flask-types', () => this.ts.flaskPolicyTypes(this.opts));
  }
  hostPciDevices(): Promise<HostPciDevice[]> {
    return this.once('sysfs', () => this.ts.hostPciDevices());
  }
}
