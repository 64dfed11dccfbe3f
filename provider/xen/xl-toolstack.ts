// Toolstack over the `xl` command line. The same class drives real xl and the simulated host, in this dom0 or over
// ssh; only the Host (where commands run and host files live), the argv prefixes and the host paths differ (see
// connect.ts), so the simulator's fidelity is what the tests exercise. It has no file system access of its own.

import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { Logger } from '../log';
import { compareSpecWithConfig } from './compare';
import {
  FlaskLabelError,
  ConnectOptionError,
  InvalidSpecError,
  NoSuchDomainError,
  QuarantineDeniedError,
  XlAbortedError,
  XlFailed,
  XlOutputError,
  XlSpawnError,
  XlTimeoutError,
  mapXlFailure,
  type XlCallInfo,
} from './errors';
import { CallGate } from './call-gate';
import type { RunResult } from './exec';
import type { Host, HostFiles } from './host';
import { NotXlError, XlNotFoundError } from './ssh/ssh-errors';
import { backendPath, waitForBackend } from './hotplug';
import type {
  BlockListEntry,
  DiskSpec,
  DomainInfo,
  DomainRuntime,
  DomainSpec,
  FlaskMode,
  HostFileKind,
  HostInfo,
  HostPciDevice,
  NetworkListEntry,
  PciListEntry,
  PciSpec,
  VifSpec,
  VtpmListEntry,
} from './model';
import { specHoldsSecrets } from './model';
import {
  interruptRemappingFromDmesg,
  parseBlockList,
  parseCreateDryRun,
  parseGetenforce,
  parseNetworkList,
  parsePciAssignableList,
  parsePciList,
  parseVtpmList,
  parseXenstoreLs,
  parseXlInfo,
  parseXlList,
  parseXlListLong,
} from './parse';
import { networkAttachArgs, renderDiskSpec, renderPciSpec, renderXlConfig } from './render';
import { readHostPciDevices } from './sysfs';
import {
  ToolstackSnapshot,
  type BackendStatus,
  type BackendView,
  type CallOptions,
  type CreateCall,
  type CreateResult,
  type DryRunResult,
  type ShutdownOutcome,
  type Toolstack,
  type WaitForBackendOptions,
} from './toolstack';
import {
  checkAbsolutePath,
  checkBdf,
  checkDomainName,
  checkFlaskLabel,
  checkInteger,
  checkNotDom0,
  checkVcpus,
  checkVdev,
  normalizeBdf,
} from './validate';

export interface Timeouts {
  /** Default per-call timeout: the provider's xl_timeout, 30 s unless set. */
  defaultMs: number;
  /** `xl create` builds and boots a domain: four times xl_timeout, 120 s unless set. */
  createMs: number;
}

/** How much longer than other calls `xl create` may take. */
export const CREATE_TIMEOUT_FACTOR = 4;

export const DEFAULT_TIMEOUTS: Timeouts = { defaultMs: 30_000, createMs: CREATE_TIMEOUT_FACTOR * 30_000 };

/** The per-call timeouts for an xl_timeout setting. */
export function timeoutsFor(xlTimeoutMs: number): Timeouts {
  return { defaultMs: xlTimeoutMs, createMs: CREATE_TIMEOUT_FACTOR * xlTimeoutMs };
}

export interface XlToolstackOptions {
  /** Where xl runs and the paths below live: this machine, or dom0 over ssh. */
  host: Host;
  /** argv prefix that acts as `xl` on the host, e.g. ['/usr/sbin/xl'] or [node, provider, '__xl-sim']. */
  xl: readonly string[];
  /** argv prefixes for the xenstore tools. */
  xenstoreRead: readonly string[];
  xenstoreLs: readonly string[];
  /** argv prefix of Xen's flask-label-pci. */
  flaskLabelPci: readonly string[];
  configDir: string;
  sysfsRoot: string;
  /** Where the host's files are seen from here: '' on a real host, DIR/root for the simulated one. */
  filesRoot?: string;
  /** xendomains' auto-start directory. */
  autostartDir: string;
  timeouts?: Partial<Timeouts>;
  log?: Logger;
  /** How long listings (list -l, list, pci-assignable-list) are reused; mutations through this object clear them. */
  readCacheMs?: number;
  // What sets the simulated host apart; a real host (xl://, ssh://) leaves these as they default.
  /** Check at configure time with `xl info` that the host answers and its xl is xl (default true). */
  probe?: boolean;
  /** xl subcommand words that print the loaded FLASK policy's types one per line; real xl has none. */
  policyTypesCommand?: readonly string[];
  /** Whether hostFileKinds sees every file of the host (default true; the simulator has only its inventory's). */
  modelsAllFiles?: boolean;
  /** The host lays out its sysfs on its first command (the simulator's mirror): an empty one is read again after one. */
  sysfsMadeByFirstCommand?: boolean;
  /**
   * How long listings are reused while this object has changed nothing (see cached); default readCacheMs, so only
   * the provider, whose process serves one Terraform command, opts in.
   */
  readCacheBeforeChangeMs?: number;
}

interface XlCallOptions extends CallOptions {
  domain?: string;
  device?: string;
  /** The call changes the host: once started it runs to the end even if the signal aborts (see CallOptions.signal). */
  change?: boolean;
}

interface Cached<T> {
  until: number;
  value: Promise<T>;
}

/**
 * A read is reused for at least readCacheMs, and for this many times as long as it took: on a slow dom0 (a loaded
 * host, or Xen under emulation where one `xl list -l` takes 1-2 s) a fixed one-second window expired between any
 * two resources of one plan, so each re-read the host and made the next read slower still.
 */
const SLOW_READ_FACTOR = 4;

/**
 * Host facts (xl info, its boot log, the FLASK mode) change only through this object's mutations, which clear the
 * cache, or by hand between Terraform runs; one provider process serves one Terraform command.
 */
const HOST_FACTS_TTL_MS = Number.POSITIVE_INFINITY;

/** Cache keys that no change to a domain or device can alter (see invalidate). */
const BOOT_AND_POLICY_FACTS = new Set(['getenforce', 'flask-types', 'interrupt-remapping']);

function assertName(field: string, name: string): void {
  const c = checkDomainName(name);
  if (c && name !== 'Domain-0') throw new InvalidSpecError(field, c);
}

/** Creating, destroying or shutting down dom0 is refused here too, whatever a resource let through. */
function assertNotDom0(field: string, name: string): void {
  assertName(field, name);
  const c = checkNotDom0(name);
  if (c) throw new InvalidSpecError(field, c);
}

/** A path given to xl as an argument: absolute, so xl can never read it as an option or relative to its cwd. */
function argPath(field: string, p: string): string {
  const c = checkAbsolutePath(p);
  if (c) throw new InvalidSpecError(field, c);
  return p;
}

/** What a failed configure-time `xl info` means for the connection the user wrote. */
function explainProbeFailure(e: Error, xl: string, where: string): Error {
  if (e instanceof XlSpawnError) return new XlNotFoundError(where, xl, e.message);
  if (e instanceof XlOutputError) return new NotXlError(where, xl, `printed something else (${e.message})`);
  if (e instanceof XlFailed) {
    if (e.exitCode === 126 || e.exitCode === 127)
      return new XlNotFoundError(where, xl, e.stderr.trim().split('\n')[0] || `exit ${e.exitCode}`);
    // xl that cannot reach the hypervisor still says so through libxl; a program that says nothing of the kind is not xl.
    if (!/libxl|xc: |xenctrl|xl context|privcmd|xenstore/i.test(e.stderr))
      return new NotXlError(where, xl, `failed without any libxl message (${e.message})`);
  }
  return e;
}

export class XlToolstack implements Toolstack {
  readonly configDir: string;
  readonly files: HostFiles;
  private readonly o: XlToolstackOptions;
  private readonly gate = new CallGate();
  private readonly timeouts: Timeouts;
  private readonly host: Host;
  private readonly log?: Logger;
  private readonly cacheMs: number;
  private readonly cache = new Map<string, Cached<unknown>>();
  private readonly domainLocks = new Map<string, Promise<unknown>>();
  private readonly cacheBeforeChangeMs: number;
  /** Set by the first change or invalidate(): from then on listings live only readCacheMs. */
  private changing = false;
  private readonly foundFiles = new Map<string, { kind: HostFileKind; until: number }>();

  constructor(opts: XlToolstackOptions) {
    this.o = opts;
    // Config files are passed to xl by path: a relative directory would be resolved against xl's cwd.
    const c = checkAbsolutePath(opts.configDir);
    if (c) throw new ConnectOptionError('configDir', c);
    this.configDir = opts.configDir;
    this.files = opts.host;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
    this.log = opts.log;
    this.host = opts.host;
    this.cacheMs = opts.readCacheMs ?? 1000;
    this.cacheBeforeChangeMs = Math.max(this.cacheMs, opts.readCacheBeforeChangeMs ?? 0);
  }

  // ---- plumbing ----

  private async exec(
    prefix: readonly string[],
    args: string[],
    opts: XlCallOptions = {},
    timeoutMs?: number,
  ): Promise<RunResult> {
    const argv = [...prefix, ...args];
    if (opts.signal?.aborted) throw new XlAbortedError(argv);
    if (opts.change) this.changing = true;
    this.gate.enter(argv);
    try {
      return await this.host.run(argv, {
        timeoutMs: opts.timeoutMs ?? timeoutMs ?? this.timeouts.defaultMs,
        // A change that has started is not killed half way (a half-built domain is worse than a late answer).
        signal: opts.change ? undefined : opts.signal,
        domain: opts.domain,
        repeatable: !opts.change,
      });
    } finally {
      this.gate.leave();
    }
  }

  /** A call that changes the host. */
  private change(args: string[], opts: XlCallOptions = {}, timeoutMs?: number): Promise<RunResult> {
    return this.xl(args, { ...opts, change: true }, timeoutMs);
  }

  async quiesce(reason: string): Promise<void> {
    await this.gate.stop(reason);
  }

  callWords(call: CreateCall): string[] {
    switch (call.op) {
      case 'create':
        return ['create', path.join(this.configDir, `${call.domain}.cfg`)];
      case 'network-attach':
        return ['network-attach', call.domain, `mac=${call.mac.toLowerCase()}`];
      case 'block-attach':
        return ['block-attach', call.domain];
      case 'pci-assignable-add':
        return ['pci-assignable-add', normalizeBdf(call.bdf)];
    }
  }

  xlRunning(words: readonly string[]): Promise<boolean | undefined> {
    return this.host.callRunning(words);
  }

  /**
   * Checks at configure time that the host is there and its xl is xl: over ssh this opens the connection, so a host
   * key, login or network problem is reported before anything is planned. The `xl info` it runs is the one every plan
   * reads anyway (cached for the process).
   */
  async probe(opts: CallOptions = {}): Promise<void> {
    if (this.o.probe === false) return;
    try {
      await this.hostInfo(opts);
    } catch (e) {
      throw explainProbeFailure(e as Error, this.o.xl[0] ?? '', this.where);
    }
  }

  /** Runs xl and throws the mapped error on a non-zero exit. */
  private async xl(args: string[], opts: XlCallOptions = {}, timeoutMs?: number): Promise<RunResult> {
    const r = await this.exec(this.o.xl, args, opts, timeoutMs);
    if (r.exitCode !== 0) throw mapXlFailure(this.callInfo(args, r, opts));
    return r;
  }

  private callInfo(args: string[], r: RunResult, opts: { domain?: string; device?: string }): XlCallInfo {
    return {
      argv: ['xl', ...args],
      exitCode: r.exitCode,
      stdout: r.stdout,
      stderr: r.stderr,
      domain: opts.domain,
      device: opts.device,
    };
  }

  /**
   * Reuses a read for readCacheMs or `fixedTtlMs` (or SLOW_READ_FACTOR times its duration, if longer) after it completed; a pending read
   * is always shared. The age counts from completion: under emulation one xl call can take longer than the whole
   * window, which made every caller run it again.
   * Until the first change (or invalidate), the window is readCacheBeforeChangeMs: a plan changes nothing, and with
   * the short window a no-op plan of 200 guests re-ran list -l and list -Z every second, each time stalling all of
   * Terraform's concurrent calls behind one read. Apply drops the listings before what must be fresh
   * (existingDomain's invalidate), and every change ends the long window.
   */
  private cached<T>(key: string, f: () => Promise<T>, fixedTtlMs?: number): Promise<T> {
    const hit = this.cache.get(key) as Cached<T> | undefined;
    if (hit && Date.now() <= hit.until) return hit.value;
    const started = Date.now();
    const value = f();
    const entry: Cached<T> = { until: Number.POSITIVE_INFINITY, value };
    this.cache.set(key, entry);
    value.then(
      () => {
        const done = Date.now();
        const ttlMs = fixedTtlMs ?? (this.changing ? this.cacheMs : this.cacheBeforeChangeMs);
        entry.until = done + Math.max(ttlMs, SLOW_READ_FACTOR * (done - started));
      },
      () => {
        if (this.cache.get(key)?.value === value) this.cache.delete(key);
      },
    );
    return value;
  }

  /**
   * 'all': everything a change to domains or devices can affect. The FLASK mode, the loaded policy's types and the
   * boot log change only by loadpolicy / setenforce ('policy', which also drops the rest): re-reading them after each
   * of 200 creates made every plan-time posture check of an apply run three more commands.
   */
  invalidate(what: 'all' | 'domains' | 'policy' = 'all'): void {
    this.changing = true;
    this.foundFiles.clear();
    if (what === 'policy') {
      this.cache.clear();
      return;
    }
    if (what === 'all') {
      for (const key of [...this.cache.keys()]) if (!BOOT_AND_POLICY_FACTS.has(key)) this.cache.delete(key);
      return;
    }
    this.cache.delete('list-l');
    this.cache.delete('list');
  }

  /** Serializes device changes per domain so "list, attach, list" finds exactly our new device. */
  private async withDomainLock<T>(domain: string, f: () => Promise<T>): Promise<T> {
    const prev = this.domainLocks.get(domain) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(f);
    this.domainLocks.set(domain, next);
    try {
      return await next;
    } finally {
      if (this.domainLocks.get(domain) === next) this.domainLocks.delete(domain);
    }
  }

  private async mutate<T>(f: () => Promise<T>, what: 'all' | 'policy' = 'all'): Promise<T> {
    this.changing = true;
    try {
      return await f();
    } finally {
      this.invalidate(what);
    }
  }

  private warnings(stderr: string): string[] {
    return stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^libxl: warning:|^WARNING:/i.test(l));
  }

  // ---- host ----

  async hostInfo(opts: CallOptions = {}): Promise<HostInfo> {
    return this.cached(
      'info',
      async () => {
        const info = parseXlInfo((await this.xl(['info'], opts)).stdout);
        // xl info does not say; the hypervisor's boot log does (read once: it is fixed at boot).
        if (info.iommu && info.interruptRemapping === undefined)
          info.interruptRemapping = await this.interruptRemapping(opts);
        return info;
      },
      HOST_FACTS_TTL_MS,
    );
  }

  private interruptRemapping(opts: CallOptions): Promise<boolean | undefined> {
    return this.cached(
      'interrupt-remapping',
      async () => {
        const log = await this.dmesg(opts, 'interrupt remapping unknown');
        // A truncated ring buffer just leaves it unknown.
        return log === undefined ? undefined : interruptRemappingFromDmesg(log);
      },
      HOST_FACTS_TTL_MS,
    );
  }

  /** The hypervisor's message buffer (`xl dmesg`); undefined, logged with what stays unknown, when it cannot be read. */
  private async dmesg(opts: CallOptions, unknown: string): Promise<string | undefined> {
    try {
      const r = await this.exec(this.o.xl, ['dmesg'], opts);
      if (r.exitCode === 0) return r.stdout;
      this.log?.debug(`xl dmesg failed; ${unknown}`, { exit_code: r.exitCode, stderr: r.stderr.trim().split('\n')[0] });
    } catch (e) {
      this.log?.debug(`xl dmesg unavailable; ${unknown}`, { error: (e as Error).message });
    }
    return undefined;
  }

  flaskMode(opts: CallOptions = {}): Promise<FlaskMode> {
    return this.cached(
      'getenforce',
      async () => {
        const r = await this.exec(this.o.xl, ['getenforce'], opts);
        if (![0, 1, 255].includes(r.exitCode)) throw mapXlFailure(this.callInfo(['getenforce'], r, {}));
        return parseGetenforce(r.exitCode, r.stdout);
      },
      HOST_FACTS_TTL_MS,
    );
  }

  async flaskPolicyTypes(opts: CallOptions = {}): Promise<string[] | undefined> {
    const words = this.o.policyTypesCommand;
    if (!words) {
      this.log?.debug(
        "the loaded FLASK policy's types cannot be listed through xl; label types are not checked against it",
      );
      return undefined;
    }
    return this.cached(
      'flask-types',
      async () => {
        const r = await this.exec(this.o.xl, [...words], opts);
        if (r.exitCode === 255) return undefined;
        if (r.exitCode !== 0) throw mapXlFailure(this.callInfo([...words], r, {}));
        return r.stdout
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '');
      },
      HOST_FACTS_TTL_MS,
    );
  }

  async loadPolicy(file: string, opts: CallOptions = {}): Promise<void> {
    await this.mutate(() => this.change(['loadpolicy', argPath('policy_file', file)], opts), 'policy');
  }

  async setEnforce(mode: 'enforcing' | 'permissive', opts: CallOptions = {}): Promise<void> {
    await this.mutate(() => this.change(['setenforce', mode === 'enforcing' ? '1' : '0'], opts), 'policy');
  }

  get modelsAllFiles(): boolean {
    return this.o.modelsAllFiles ?? true;
  }

  /**
   * Before this object's first change, a file found is taken as still there for readCacheBeforeChangeMs: 200 guests
   * booting one kernel looked it up 200 times in one plan (over ssh, one `ls` each). What is missing or unknown is
   * always looked at again, so a file made since (by hand, or by another resource of the run) is found.
   */
  async hostFileKinds(files: readonly string[], opts: CallOptions = {}): Promise<Map<string, HostFileKind>> {
    const root = this.o.filesRoot ?? '';
    const known = new Map<string, HostFileKind>();
    const now = Date.now();
    for (const f of files) {
      const hit = this.changing ? undefined : this.foundFiles.get(f);
      if (hit && now <= hit.until) known.set(f, hit.kind);
    }
    const ask = files.filter((f) => !known.has(f));
    if (ask.length > 0) {
      const kinds = await this.host.fileKinds(
        ask.map((f) => root + f),
        { timeoutMs: opts.timeoutMs ?? this.timeouts.defaultMs, signal: opts.signal },
      );
      const until = Date.now() + this.cacheBeforeChangeMs;
      for (const f of ask) {
        const kind = kinds.get(root + f) ?? 'unknown';
        known.set(f, kind);
        if (!this.changing && kind !== 'missing' && kind !== 'unknown') this.foundFiles.set(f, { kind, until });
      }
    }
    return new Map(files.map((f) => [f, known.get(f) ?? 'unknown']));
  }

  hostPciDevices(): Promise<HostPciDevice[]> {
    return this.cached('sysfs', async () => {
      const found = await readHostPciDevices(this.host, this.o.sysfsRoot);
      if (found.length > 0 || !this.o.sysfsMadeByFirstCommand) return found;
      // Make sure the host's first command has run.
      await this.hostInfo();
      return readHostPciDevices(this.host, this.o.sysfsRoot);
    });
  }

  /** Where the toolstack runs, for messages. */
  get where(): string {
    return this.host.description;
  }

  close(): Promise<void> {
    return this.host.close();
  }

  // ---- domains ----

  listDomains(opts: CallOptions = {}): Promise<DomainInfo[]> {
    return this.cached('list-l', async () => parseXlListLong((await this.xl(['list', '-l'], opts)).stdout));
  }

  async getDomain(name: string, opts: CallOptions = {}): Promise<DomainInfo | undefined> {
    assertName('name', name);
    return (await this.listDomains(opts)).find((d) => d.name === name);
  }

  getDomainNow(name: string, opts: CallOptions = {}): Promise<DomainInfo | undefined> {
    return this.oneDomain(name, ['list', '-l'], parseXlListLong, opts);
  }

  domainStateNow(name: string, opts: CallOptions = {}): Promise<DomainRuntime | undefined> {
    return this.oneDomain(name, ['list', '-Z'], parseXlList, opts);
  }

  /** A listing of one domain; undefined when xl says there is none by that name. */
  private async oneDomain<T extends { name: string }>(
    name: string,
    words: string[],
    parse: (stdout: string) => T[],
    opts: CallOptions,
  ): Promise<T | undefined> {
    assertName('name', name);
    try {
      return parse((await this.xl([...words, name], { ...opts, domain: name })).stdout).find((d) => d.name === name);
    } catch (e) {
      if (e instanceof NoSuchDomainError) return undefined;
      throw e;
    }
  }

  domainStates(opts: CallOptions = {}): Promise<DomainRuntime[]> {
    // -Z adds the label the hypervisor has for each domain (what FLASK enforces), at no extra call.
    return this.cached('list', async () => parseXlList((await this.xl(['list', '-Z'], opts)).stdout));
  }

  async domainState(name: string, opts: CallOptions = {}): Promise<DomainRuntime | undefined> {
    assertName('name', name);
    return (await this.domainStates(opts)).find((d) => d.name === name);
  }

  async setAutostart(name: string, enabled: boolean): Promise<void> {
    assertName('name', name);
    const link = path.join(this.o.autostartDir, `${name}.cfg`);
    if (enabled) await this.host.symlinkAtomic(path.join(this.configDir, `${name}.cfg`), link);
    else await this.host.removeFile(link);
  }

  async autostartEnabled(name: string): Promise<boolean> {
    assertName('name', name);
    const link = path.join(this.o.autostartDir, `${name}.cfg`);
    return (await this.host.readLinks([link])).get(link) === path.join(this.configDir, `${name}.cfg`);
  }

  private async writeConfig(fileName: string, text: string): Promise<string> {
    const file = path.join(this.configDir, fileName);
    await this.host.writeFileAtomic(file, text);
    return file;
  }

  async createDomain(spec: DomainSpec, opts: CallOptions = {}): Promise<CreateResult> {
    assertNotDom0('name', spec.name);
    const text = renderXlConfig(spec);
    const configFile = await this.writeConfig(`${spec.name}.cfg`, text);
    const secret = specHoldsSecrets(spec);
    return this.mutate(async () => {
      this.log?.info('creating domain', { domain: spec.name, config: configFile });
      let r: RunResult;
      try {
        r = await this.change(
          ['create', argPath('config_dir', configFile)],
          { ...opts, domain: spec.name },
          this.timeouts.createMs,
        );
      } finally {
        // xl has parsed the file by the time it exits; libxl keeps its own copy of what it needs. On dom0 (over ssh
        // too), so through the host.
        if (secret) await this.host.removeFile(configFile);
      }
      const warnings = this.warnings(r.stderr);
      for (const w of warnings) this.log?.warn('libxl warning during create', { domain: spec.name, warning: w });
      // No `xl domid` here: every caller reads the new domain back (xl list -l), which has its domid; one process
      // fewer per create, of the eight a create cost on the simulated host.
      return { configFile, warnings };
    });
  }

  async dryRun(spec: DomainSpec, opts: CallOptions = {}): Promise<DryRunResult> {
    assertNotDom0('name', spec.name);
    const configText = renderXlConfig(spec);
    const file = await this.writeConfig(`.dryrun-${spec.name}-${randomBytes(4).toString('hex')}.cfg`, configText);
    try {
      const r = await this.xl(['create', '-n', argPath('config_dir', file)], { ...opts, domain: spec.name });
      const config = parseCreateDryRun(r.stdout);
      return {
        config,
        differences: compareSpecWithConfig(spec, config),
        configText,
        warnings: this.warnings(r.stderr),
      };
    } finally {
      await this.host
        .removeFile(file)
        .catch((e: Error) => this.log?.warn('could not remove a dry-run config', { file, error: e.message }));
    }
  }

  async shutdownDomain(name: string, opts: CallOptions & { timeoutMs: number }): Promise<ShutdownOutcome> {
    assertNotDom0('name', name);
    return this.mutate(async () => {
      try {
        await this.change(['shutdown', '-w', name], { ...opts, domain: name });
        return 'shutdown';
      } catch (e) {
        if (e instanceof NoSuchDomainError) return 'absent';
        if (!(e instanceof XlTimeoutError) && !(e instanceof XlFailed)) throw e;
        this.log?.warn('graceful shutdown failed; destroying', { domain: name, error: (e as Error).message });
      }
      try {
        await this.change(['destroy', name], { signal: opts.signal, domain: name });
        return 'destroyed';
      } catch (e) {
        if (e instanceof NoSuchDomainError) return 'absent';
        throw e;
      }
    });
  }

  async destroyDomain(name: string, opts: CallOptions = {}): Promise<void> {
    assertNotDom0('name', name);
    await this.mutate(async () => {
      try {
        await this.change(['destroy', name], { ...opts, domain: name });
      } catch (e) {
        if (!(e instanceof NoSuchDomainError)) throw e;
      }
    });
  }

  async memSet(name: string, mib: number, opts: CallOptions = {}): Promise<void> {
    assertName('name', name);
    const c = checkInteger(mib, 1, 16 * 1024 * 1024, ' MiB');
    if (c) throw new InvalidSpecError('memory', c);
    await this.mutate(() => this.change(['mem-set', name, String(mib)], { ...opts, domain: name }));
  }

  async vcpuSet(name: string, vcpus: number, opts: CallOptions = {}): Promise<void> {
    assertName('name', name);
    const c = checkVcpus(vcpus);
    if (c) throw new InvalidSpecError('vcpus', c);
    await this.mutate(() => this.change(['vcpu-set', name, String(vcpus)], { ...opts, domain: name }));
  }

  // ---- PCI ----

  private bdfArg(bdf: string): string {
    const c = checkBdf(bdf);
    if (c) throw new InvalidSpecError('bdf', c);
    return normalizeBdf(bdf);
  }

  pciAssignableList(opts: CallOptions = {}): Promise<string[]> {
    return this.cached('pci-assignable', async () =>
      parsePciAssignableList((await this.xl(['pci-assignable-list'], opts)).stdout),
    );
  }

  async pciAssignableAdd(bdf: string, opts: CallOptions = {}): Promise<void> {
    const b = this.bdfArg(bdf);
    try {
      await this.mutate(() => this.change(['pci-assignable-add', b], { ...opts, device: b }));
    } catch (e) {
      if (!(e instanceof QuarantineDeniedError)) throw e;
      throw new QuarantineDeniedError(
        { argv: e.argv, exitCode: e.exitCode, stderr: e.stderr, device: b },
        b,
        await this.lastAvcDenial(/domio_t/, opts),
      );
    }
  }

  /** The hypervisor's newest FLASK denial matching `about`, from `xl dmesg`; undefined when none can be read. */
  private async lastAvcDenial(about: RegExp, opts: CallOptions): Promise<string | undefined> {
    // Read anew, not the cached boot-time read: the denial is the one the failed call just caused.
    const log = await this.dmesg(opts, 'the avc denial is not shown');
    if (log === undefined) return undefined;
    const lines = log
      .split('\n')
      .map((l) => l.replace(/^\(XEN\)\s*(\[[^\]]*\]\s*)?/, '').trim())
      .filter((l) => /^avc:\s+denied/.test(l) && about.test(l));
    return lines.at(-1);
  }

  async flaskLabelPci(bdf: string, label: string, opts: CallOptions = {}): Promise<void> {
    const b = this.bdfArg(bdf);
    const c = checkFlaskLabel(label);
    if (c) throw new InvalidSpecError('seclabel', c);
    // Labelling changes the hypervisor's policy state: never killed half way (it labels config space, then each BAR).
    const args = [b, label];
    const r = await this.exec(this.o.flaskLabelPci, args, { ...opts, change: true, device: b });
    if (r.exitCode !== 0)
      throw new FlaskLabelError(
        { argv: ['flask-label-pci', ...args], exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, device: b },
        b,
        label,
      );
  }

  async pciAssignableRemove(bdf: string, opts: CallOptions & { rebind?: boolean } = {}): Promise<void> {
    const b = this.bdfArg(bdf);
    await this.mutate(() =>
      this.change(['pci-assignable-remove', ...(opts.rebind ? ['-r'] : []), b], { ...opts, device: b }),
    );
  }

  async pciList(domain: string, opts: CallOptions = {}): Promise<PciListEntry[]> {
    assertName('domain', domain);
    return parsePciList((await this.xl(['pci-list', domain], { ...opts, domain })).stdout);
  }

  async pciAttach(domain: string, spec: PciSpec, opts: CallOptions = {}): Promise<void> {
    assertName('domain', domain);
    const s = renderPciSpec(spec);
    await this.mutate(() =>
      this.change(['pci-attach', domain, s], { ...opts, domain, device: normalizeBdf(spec.bdf) }),
    );
  }

  async pciDetach(domain: string, bdf: string, opts: CallOptions = {}): Promise<void> {
    assertName('domain', domain);
    const b = this.bdfArg(bdf);
    await this.mutate(() => this.change(['pci-detach', domain, b], { ...opts, domain, device: b }));
  }

  // ---- vifs and disks ----

  async networkList(domain: string, opts: CallOptions = {}): Promise<NetworkListEntry[]> {
    assertName('domain', domain);
    return parseNetworkList((await this.xl(['network-list', domain], { ...opts, domain })).stdout);
  }

  async networkAttach(domain: string, vif: VifSpec, opts: CallOptions = {}): Promise<number> {
    assertName('domain', domain);
    const words = networkAttachArgs(vif);
    const devids = async () => (await this.networkList(domain, opts)).map((n) => n.devid);
    return this.attachAndFind(
      domain,
      'vif',
      devids,
      ['network-attach', domain, ...words],
      { ...opts, domain, device: 'vif' },
      vif.devid,
    );
  }

  /**
   * Runs an attach under the domain's lock and returns the device it added: the listing before and after, and exactly
   * one new entry. What a failed attach left half made is detached again: libxl gives up waiting for a backend that
   * does not answer yet but leaves the frontend behind (seen on real Xen: `unable to add device`, then the vif in
   * network-list), and a retry would add a second one.
   */
  private attachAndFind<K extends number | string>(
    domain: string,
    kind: 'vif' | 'vbd',
    list: () => Promise<K[]>,
    args: string[],
    opts: XlCallOptions,
    known?: K,
  ): Promise<K> {
    return this.withDomainLock(domain, () =>
      this.mutate(async () => {
        const before = new Set(await list());
        try {
          await this.change(args, opts);
        } catch (e) {
          await this.removeLeftovers(domain, kind, before, list, opts);
          throw e;
        }
        if (known !== undefined) return known;
        const added = (await list()).filter((d) => !before.has(d));
        if (added.length !== 1) {
          const [listing, what] = kind === 'vif' ? ['network-list', 'vif'] : ['block-list', 'disk'];
          throw new XlOutputError(
            `xl ${listing}`,
            `expected one new ${what} on ${domain} after ${args[0]}, found ${added.length}`,
            `Another tool may be changing this domain's ${what}s at the same time; run \`xl ${listing}\` and re-run apply.`,
          );
        }
        return added[0];
      }),
    );
  }

  /** Detaches what a failed attach left behind: devices that were not there before it. Best effort. */
  private async removeLeftovers<K>(
    domain: string,
    kind: 'vif' | 'vbd',
    before: Set<K>,
    list: () => Promise<K[]>,
    opts: CallOptions,
  ): Promise<void> {
    try {
      this.invalidate();
      for (const devid of (await list()).filter((d) => !before.has(d))) {
        this.log?.warn(`removing the ${kind} a failed attach left behind`, { domain, devid });
        const r = await this.exec(
          this.o.xl,
          [kind === 'vif' ? 'network-detach' : 'block-detach', domain, String(devid)],
          { ...opts, domain, change: true },
        );
        if (r.exitCode !== 0)
          this.log?.warn(`could not remove the half-made ${kind}`, { domain, devid, stderr: r.stderr });
      }
    } catch (e) {
      this.log?.warn(`could not check for a half-made ${kind}`, { domain, error: (e as Error).message });
    }
  }

  async networkDetach(domain: string, devid: number, opts: CallOptions = {}): Promise<void> {
    assertName('domain', domain);
    const c = checkInteger(devid, 0, 65535);
    if (c) throw new InvalidSpecError('devid', c);
    await this.withDomainLock(domain, () =>
      this.mutate(() =>
        this.change(['network-detach', domain, String(devid)], { ...opts, domain, device: `vif ${devid}` }),
      ),
    );
  }

  async blockList(domain: string, opts: CallOptions = {}): Promise<BlockListEntry[]> {
    assertName('domain', domain);
    return parseBlockList((await this.xl(['block-list', domain], { ...opts, domain })).stdout);
  }

  async blockAttach(domain: string, disk: DiskSpec, opts: CallOptions = {}): Promise<number> {
    assertName('domain', domain);
    const spec = renderDiskSpec(disk);
    const vdevs = async () => (await this.blockList(domain, opts)).map((b) => b.vdev);
    return this.attachAndFind(domain, 'vbd', vdevs, ['block-attach', domain, spec], {
      ...opts,
      domain,
      device: disk.vdev,
    });
  }

  async blockDetach(domain: string, vdev: string, opts: CallOptions = {}): Promise<void> {
    assertName('domain', domain);
    const c = checkVdev(vdev);
    if (c) throw new InvalidSpecError('vdev', c);
    await this.withDomainLock(domain, () =>
      this.mutate(() => this.change(['block-detach', domain, vdev], { ...opts, domain, device: vdev })),
    );
  }

  async vtpmList(domain: string, opts: CallOptions = {}): Promise<VtpmListEntry[]> {
    assertName('domain', domain);
    return parseVtpmList((await this.xl(['vtpm-list', domain], { ...opts, domain, device: 'vtpm' })).stdout);
  }

  // ---- xenstore ----

  private xsPath(p: string): string {
    if (!/^\/[A-Za-z0-9_/.:-]*$/.test(p) || p.length > 3072)
      throw new InvalidSpecError('path', `"${p.slice(0, 60)}" is not a xenstore path`);
    return p;
  }

  async xenstoreRead(p: string, opts: CallOptions = {}): Promise<string | undefined> {
    const r = await this.exec(this.o.xenstoreRead, [this.xsPath(p)], opts);
    if (r.exitCode === 0) return r.stdout.replace(/\n$/, '');
    if (/couldn't read path|No such file|ENOENT/i.test(r.stderr)) return undefined;
    throw new XlFailed(
      { argv: [...this.o.xenstoreRead, p], exitCode: r.exitCode, stderr: r.stderr },
      undefined,
      'Check that xenstored is running and that the provider runs as root in dom0.',
    );
  }

  backendTree(kind: 'vif' | 'vbd', backendDomid: number, opts: CallOptions = {}): Promise<Record<string, string>> {
    return this.cached(`backends:${kind}:${backendDomid}`, () =>
      this.xenstoreLs(`/local/domain/${backendDomid}/backend/${kind}`, opts),
    );
  }

  async backendView(
    kind: 'vif' | 'vbd',
    backendDomid: number,
    frontendDomid: number,
    devid: number,
    opts: CallOptions = {},
  ): Promise<BackendView> {
    const base = backendPath(kind, backendDomid, frontendDomid, devid);
    const entries = await this.backendTree(kind, backendDomid, opts);
    const state = entries[`${base}/state`];
    return { present: state !== undefined, state: state ?? '', hotplugStatus: entries[`${base}/hotplug-status`] ?? '' };
  }

  async xenstoreLs(p: string, opts: CallOptions = {}): Promise<Record<string, string>> {
    const r = await this.exec(this.o.xenstoreLs, ['-f', this.xsPath(p)], opts);
    if (r.exitCode === 0) return parseXenstoreLs(r.stdout);
    if (/No such file|ENOENT|couldn't/i.test(r.stderr)) return {};
    throw new XlFailed(
      { argv: [...this.o.xenstoreLs, '-f', p], exitCode: r.exitCode, stderr: r.stderr },
      undefined,
      'Check that xenstored is running and that the provider runs as root in dom0.',
    );
  }

  waitForBackend(opts: WaitForBackendOptions): Promise<BackendStatus> {
    return waitForBackend((p, signal) => this.xenstoreRead(p, { signal }), { ...opts, log: opts.log ?? this.log });
  }

  snapshot(): ToolstackSnapshot {
    return new ToolstackSnapshot(this);
  }
}
