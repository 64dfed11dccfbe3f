// Create / read / update / delete shared by xen_domain and xen_driver_domain: turning Terraform values into a
// DomainSpec, libxl's view back into Terraform values, and the in-place changes libxl can make on a running domain.

import { Unknown, UNKNOWN, record } from '../protocol/cty/types';
import type { CtyObject, CtyValue } from '../protocol/cty/types';
import { DiagnosticError } from '../framework/diagnostics';
import { PartialApplyError } from '../framework/resource';
import type { ApplyContext, BaseContext, PlanContext } from '../framework/resource';
import type { DiskSpec, DomainInfo, DomainRuntime, DomainSpec, PciSpec, RdmPolicy, ShutdownAction, DiskFormat, DiskAccess, DiskBackendType } from '../xen/model';
import { DomainExistsError, XlFailed } from '../xen/errors';
import { checkFirmware, checkNotDom0, normalizeBdf } from '../xen/validate';
import type { XenClient } from './client';
import { bool, compact, num, obj, objects, spelled, str } from '../framework/values';
import { labelPaths, labelProblems } from './labels';
import { sameBdf } from './equivalence';
import { createRecorded, existingDomain, planExistingDomain, removeUnfit } from './domain_adoption';
import { finishDeferredRelease } from './pci_assignable';
import { checkCapacity, checkDiskBackends, checkHostFiles, checkPciBlocks } from './host_checks';
import { guestDeviceSpec, guestDeviceValues, withoutDeviceComputed, withSecrets } from './guest_devices';

export type DomainKind = 'guest' | 'driver';

export function typeNameOf(kind: DomainKind): string {
  return kind === 'driver' ? 'xen_driver_domain' : 'xen_domain';
}

function diskSpec(d: CtyObject): DiskSpec {
  return compact({
    target: str(d, 'target')!,
    vdev: str(d, 'vdev')!,
    backend: str(d, 'backend') ?? 'Domain-0',
    format: str(d, 'format') as DiskFormat | undefined,
    access: str(d, 'access') as DiskAccess | undefined,
    backendtype: str(d, 'backendtype') as DiskBackendType | undefined,
    script: str(d, 'script'),
  });
}

export function pciSpec(p: CtyObject): PciSpec {
  return compact({
    bdf: str(p, 'bdf')!,
    permissive: bool(p, 'permissive'),
    msitranslate: bool(p, 'msitranslate'),
    seize: bool(p, 'seize'),
    power_mgmt: bool(p, 'power_mgmt'),
    rdm_policy: str(p, 'rdm_policy') as RdmPolicy | undefined,
  });
}

export function specFrom(v: CtyObject, kind: DomainKind): DomainSpec {
  const dm = obj(v, 'device_model');
  return compact({
    name: str(v, 'name')!,
    type: (str(v, 'type') ?? 'pv') as DomainSpec['type'],
    memory: num(v, 'memory')!,
    maxmem: num(v, 'maxmem'),
    vcpus: num(v, 'vcpus') ?? 1,
    maxvcpus: num(v, 'maxvcpus'),
    kernel: str(v, 'kernel'),
    ramdisk: str(v, 'ramdisk'),
    cmdline: str(v, 'cmdline'),
    firmware: str(v, 'firmware'),
    bootloader: str(v, 'bootloader'),
    driverDomain: kind === 'driver' ? true : undefined,
    seclabel: str(v, 'seclabel'),
    initSeclabel: str(v, 'init_seclabel'),
    deviceModel: dm
      ? compact({ stubdomain: bool(dm, 'stubdomain') ?? false, seclabel: str(dm, 'seclabel'), stubdomainMemory: num(dm, 'stubdomain_memory') })
      : undefined,
    onPoweroff: str(v, 'on_poweroff') as ShutdownAction | undefined,
    onReboot: str(v, 'on_reboot') as ShutdownAction | undefined,
    onCrash: str(v, 'on_crash') as ShutdownAction | undefined,
    disks: objects(v, 'disk').map(diskSpec),
    pci: objects(v, 'pci').map(pciSpec),
    ...(kind === 'guest' ? guestDeviceSpec(v) : {}),
  });
}

export function runtimeState(rt: DomainRuntime | undefined): string {
  if (!rt) return 'unknown';
  const s = rt.state;
  if (s.dying) return 'dying';
  if (s.crashed) return 'crashed';
  if (s.shutdown) return 'shutdown';
  if (s.paused) return 'paused';
  return 'running';
}

/**
 * Terraform values from what libxl reports. `prior` (state or plan) supplies the user's spelling for values libxl
 * normalises, and the attributes libxl cannot report (e.g. class).
 */
export function valuesFrom(info: DomainInfo, rt: DomainRuntime | undefined, prior: CtyObject | null, kind: DomainKind): CtyObject {
  const p = prior ?? record();
  const priorDisks = objects(p, 'disk');
  const priorPci = objects(p, 'pci');
  const out = record<CtyValue>();
  out.id = info.name;
  out.name = info.name;
  out.type = info.type;
  out.memory = info.memory ?? null;
  out.maxmem = info.maxmem ?? info.memory ?? null;
  out.vcpus = info.vcpus ?? 1;
  out.maxvcpus = info.maxvcpus ?? info.vcpus ?? 1;
  out.kernel = info.kernel ?? null;
  out.ramdisk = info.ramdisk ?? null;
  out.cmdline = info.cmdline ?? null;
  out.firmware = info.firmware ?? null;
  out.bootloader = info.bootloader ?? null;
  // The label the hypervisor has (xl list -Z) is what FLASK enforces; libxl's config only says what was asked. Only a
  // domain that was given a label is compared: an unlabelled one runs as the policy's default (domU_t).
  out.seclabel = info.seclabel !== undefined && rt?.label !== undefined ? rt.label : (info.seclabel ?? null);
  out.init_seclabel = info.initSeclabel ?? null;
  out.on_poweroff = info.onPoweroff;
  out.on_reboot = info.onReboot;
  out.on_crash = info.onCrash;
  out.domid = info.domid;
  out.uuid = info.uuid ?? '';
  out.state = runtimeState(rt);
  // A domain's own disks are those its configuration declares; disks hot-attached by xen_disk belong to those
  // resources. On import (no prior) every disk libxl reports is the domain's.
  const own = prior ? info.disks.filter((d) => priorDisks.some((x) => str(x, 'vdev') === d.vdev)) : info.disks;
  out.disk = own.map((d, i) => {
    const pd = priorDisks.find((x) => str(x, 'vdev') === d.vdev) ?? priorDisks[i] ?? record();
    return record<CtyValue>([
      ['target', spelled(pd.target, d.target) ?? ''],
      ['vdev', d.vdev],
      ['format', d.format ?? 'raw'],
      ['access', d.access],
      ['backend', d.backendDomname ?? 'Domain-0'],
      ['backendtype', str(pd, 'backendtype') !== undefined ? (d.backendtype ?? null) : null],
      ['script', spelled(pd.script, d.script)],
    ]);
  });
  out.pci = info.pcidevs.map((d) => {
    const pp = priorPci.find((x) => typeof x.bdf === 'string' && sameBdf(x.bdf, d.bdf));
    return record<CtyValue>([
      ['bdf', spelled(pp?.bdf, d.bdf, sameBdf)],
      ['permissive', d.permissive],
      ['msitranslate', d.msitranslate],
      ['seize', d.seize],
      ['power_mgmt', d.power_mgmt],
      ['rdm_policy', d.rdm_policy ?? 'strict'],
    ]);
  });
  if (kind === 'guest') {
    const dm = info.deviceModel;
    const priorDm = obj(p, 'device_model');
    out.device_model =
      info.type === 'hvm' && (priorDm || dm.stubdomain || dm.seclabel)
        ? record<CtyValue>([
            ['stubdomain', dm.stubdomain],
            ['seclabel', dm.seclabel ?? null],
            ['stubdomain_memory', dm.stubdomainMemory ?? (priorDm ? (priorDm.stubdomain_memory ?? null) : null)],
          ])
        : null;
    Object.assign(out, guestDeviceValues(info, prior));
  }
  return out;
}

/**
 * Plan-time rules libxl enforces on a running domain: memory and vCPUs move in place only below their maxima, which
 * are fixed at creation. Also runs `xl create -n` (libxl's own parser) on configurations about to be created.
 */
export async function planDomain(ctx: PlanContext<XenClient>, kind: DomainKind): Promise<void> {
  const { planned, prior, config } = ctx;
  const replacing = ctx.isReplacing();
  for (const [value, max] of [['memory', 'maxmem'], ['vcpus', 'maxvcpus']] as const) {
    const v = planned[value];
    if (v instanceof Unknown) {
      if (config[max] === null) planned[max] = UNKNOWN;
      continue;
    }
    const configured = num(config, max);
    const priorMax = prior ? num(prior, max) : undefined;
    let effective: number | undefined;
    if (configured !== undefined) effective = configured;
    else if (!replacing && priorMax !== undefined && (v as number) <= priorMax) effective = priorMax;
    else effective = v as number;
    planned[max] = effective;
    if (prior && priorMax !== undefined && effective !== priorMax) ctx.requiresReplace([{ attr: max }]);
    if ((v as number) > effective) {
      ctx.diags.error(
        `${value} exceeds ${max}`,
        `${value} = ${v} is above ${max} = ${effective}. libxl cannot raise a running domain above its ${max}; raise ${max} as well (which replaces the domain).`,
        [{ attr: value }],
      );
    }
  }

  const type = str(planned, 'type');
  const dm = obj(planned, 'device_model');
  if (kind === 'guest' && dm && type !== undefined && type !== 'hvm') {
    ctx.diags.error('device_model applies to HVM guests only', `type = "${type}" has no device model; remove the device_model block or use type = "hvm".`, [{ attr: 'device_model' }]);
  }
  const firmware = str(planned, 'firmware');
  if (firmware !== undefined && str(planned, 'kernel') !== undefined) {
    ctx.diags.error('Both firmware and kernel are set', 'Boot either with firmware (e.g. "pvgrub64") or a kernel, not both.', [{ attr: 'firmware' }]);
  }
  const fwProblem = firmware !== undefined && type !== undefined ? checkFirmware(firmware, type as DomainSpec['type']) : undefined;
  if (fwProblem) ctx.diags.error('Invalid firmware for this domain type', fwProblem, [{ attr: 'firmware' }]);

  if (!ctx.meta || ctx.diags.hasErrors) return;
  const name = str(planned, 'name');
  if (name !== undefined && (prior === null || str(prior, 'name') !== name)) await planExistingDomain(ctx, name, typeNameOf(kind));
  if (ctx.diags.hasErrors) return;
  if (name !== undefined) {
    ctx.step('checking memory and vCPUs against the host', [{ attr: 'memory' }]);
    await checkCapacity(ctx, name);
  }
  ctx.step('checking the PCI functions against the host', [{ attr: 'pci' }]);
  await checkPciBlocks(ctx);
  ctx.step('checking the disk backends', [{ attr: 'disk' }]);
  await checkDiskBackends(ctx);
  ctx.step('checking the files the domain names on the host', [{ attr: 'kernel' }]);
  await checkHostFiles(ctx);
  if (ctx.diags.hasErrors) return;
  ctx.step('checking the FLASK labels against the host', labelPaths(planned)[0]?.[0]);
  await labelProblems(ctx, planned);

  // Configurations about to be created go through libxl's own parser first (xl create -n): creates nothing.
  if (ctx.isReplacing() && isWhollyKnownObject(withoutDeviceComputed(planned), ['id', 'domid', 'uuid', 'state', 'stubdomain_domid'])) {
    ctx.step('checking the configuration with libxl (xl create -n)');
    try {
      // Display passwords are write-only (only in config); the dry run sees a placeholder, never the secret.
      const dry = await ctx.meta.ts.dryRun(withSecrets(specFrom(planned, kind), config, { redact: true }), { signal: ctx.signal });
      for (const d of dry.differences) {
        ctx.diags.error('libxl would read this configuration differently', `${d.path}: meant ${JSON.stringify(d.wanted)}, libxl understood ${JSON.stringify(d.got)}.`);
      }
    } catch (err) {
      // Only a refusal by xl itself is libxl's verdict; a timeout or an xl that cannot be run says so in its own words.
      ctx.diags.fromError(err, err instanceof XlFailed ? 'libxl rejected the domain configuration (xl create -n)' : 'Could not check the domain configuration with xl create -n');
    }
  }
}

function isWhollyKnownObject(o: CtyObject, except: string[]): boolean {
  const known = (v: CtyValue): boolean =>
    !(v instanceof Unknown) && (Array.isArray(v) ? v.every(known) : v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === null ? Object.values(v as CtyObject).every(known) : true);
  return Object.keys(o).every((k) => except.includes(k) || known(o[k]));
}

async function readBack(ts: XenClient['ts'], name: string): Promise<{ info: DomainInfo | undefined; rt: DomainRuntime | undefined }> {
  ts.invalidate();
  const [info, rt] = await Promise.all([ts.getDomain(name), ts.domainState(name)]);
  return { info, rt };
}

/** After create: check libxl really did what the configuration asked (driver_domain flag, PCI devices, labels). */
async function verifyCreated(ctx: ApplyContext<XenClient>, info: DomainInfo, rt: DomainRuntime | undefined, spec: DomainSpec, warnings: string[], kind: DomainKind): Promise<string[]> {
  const problems: string[] = [];
  const ts = ctx.meta.ts;
  if (kind === 'driver' && !info.driverDomain) {
    problems.push('libxl does not report driver_domain=1 for it, so `xl devd` inside it will not be allowed to serve backends.');
  }
  if ((spec.pci ?? []).length > 0) {
    const attached = await ts.pciList(spec.name, { signal: ctx.signal });
    for (const want of spec.pci ?? []) {
      const bdf = normalizeBdf(want.bdf);
      if (!attached.some((a) => sameBdf(a.bdf, bdf))) problems.push(`PCI device ${bdf} is not attached (xl pci-list ${spec.name} does not show it).`);
      const cfg = info.pcidevs.find((d) => sameBdf(d.bdf, bdf));
      for (const opt of ['permissive', 'msitranslate', 'seize', 'power_mgmt'] as const) {
        if (want[opt] !== undefined && cfg && cfg[opt] !== want[opt]) problems.push(`PCI device ${bdf}: ${opt} is ${cfg[opt]}, not ${want[opt]}.`);
      }
    }
  }
  if (spec.seclabel || spec.initSeclabel || spec.deviceModel?.seclabel) {
    const ignored = warnings.find((w) => /XSM Disabled|seclabel not supported/i.test(w));
    const flask = ignored ? 'disabled' : await ts.flaskMode({ signal: ctx.signal });
    if (flask === 'disabled') {
      const msg = 'its FLASK label was ignored: this Xen has no XSM/FLASK (`xl getenforce` says "Flask XSM Disabled"), so the domain runs unlabelled.';
      if (ctx.meta.securityPolicy === 'enforce') problems.push(msg + ' Boot a Xen built with XSM and a FLASK policy, or set security_policy = "warn" / "off" to accept unlabelled domains.');
      else if (ctx.meta.securityPolicy === 'warn') ctx.diags.warning(`Label of ${spec.name} not in effect`, msg);
    } else if (info.seclabel !== (spec.seclabel ?? spec.initSeclabel)) {
      problems.push(`libxl reports label ${JSON.stringify(info.seclabel ?? null)} instead of ${JSON.stringify(spec.seclabel)}.`);
    } else if (spec.seclabel && rt?.label !== undefined && rt.label !== spec.seclabel) {
      problems.push(`the hypervisor runs it labelled ${rt.label} (xl list -Z), not ${spec.seclabel}.`);
    }
  }
  return problems;
}

export async function createDomain(ctx: ApplyContext<XenClient>, kind: DomainKind): Promise<CtyObject> {
  const spec = withSecrets(specFrom(ctx.planned, kind), ctx.config);
  const ts = ctx.meta.ts;
  ctx.meta.ledger.applying(spec.name);
  let warnings: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const existing = await existingDomain(ctx, spec, typeNameOf(kind));
    if (existing.action === 'adopt') {
      ctx.log.info('adopting the domain an interrupted create left behind', { domain: spec.name, uuid: existing.entry.mark });
      break;
    }
    if (existing.action === 'rebuild') await removeUnfit(ctx, spec.name, existing.entry, existing.why);
    ctx.log.info('creating domain', { domain: spec.name, type: spec.type, memory: spec.memory });
    try {
      const result = await createRecorded(ctx, spec);
      warnings = result.warnings;
      ctx.log.info('domain created', { domain: spec.name });
      break;
    } catch (err) {
      // The name appeared since we looked: an interrupted run's xl create may have finished meanwhile. Look once more.
      if (!(err instanceof DomainExistsError) || attempt > 1) throw err;
      ts.invalidate();
    }
  }
  const { info, rt } = await readBack(ts, spec.name);
  if (!info) {
    throw new DiagnosticError(`Domain ${spec.name} vanished after xl create`, 'xl create succeeded but `xl list` does not show it: it may have crashed at boot. Check `xl dmesg` and /var/log/xen/qemu-dm-' + spec.name + '.log or the console log.');
  }
  const state = valuesFrom(info, rt, ctx.planned, kind);
  for (const k of Object.keys(ctx.planned)) if (!(k in state)) state[k] = ctx.planned[k];
  const problems = await verifyCreated(ctx, info, rt, spec, warnings, kind);
  if (problems.length > 0) {
    // The domain exists: hand its state to Terraform (tainted) so it is replaced, never orphaned.
    throw new PartialApplyError(
      new DiagnosticError(`Domain ${spec.name} was created but is not what the configuration asks for`, problems.join('\n')),
      state,
    );
  }
  return state;
}

/** Terraform holds this domain in a state: no other create may adopt it. */
export async function noteStoredDomain(state: CtyObject, ctx: BaseContext<XenClient>): Promise<void> {
  const uuid = str(state, 'uuid');
  if (uuid) await ctx.meta.journal.confirm('domain', uuid.toLowerCase());
}

export async function readDomain(ctx: BaseContext<XenClient> & { state: CtyObject }, kind: DomainKind): Promise<CtyObject | null> {
  const name = str(ctx.state, 'name') ?? str(ctx.state, 'id');
  if (!name) return null;
  const ts = ctx.meta.ts;
  const [info, rt] = await Promise.all([ts.getDomain(name, { signal: ctx.signal }), ts.domainState(name, { signal: ctx.signal })]);
  if (!info) {
    ctx.log.info('domain no longer exists; it will be planned for creation', { domain: name });
    return null;
  }
  const values = valuesFrom(info, rt, ctx.state, kind);
  for (const k of Object.keys(ctx.state)) if (!(k in values)) values[k] = ctx.state[k];
  return values;
}

export async function updateDomain(ctx: ApplyContext<XenClient> & { prior: CtyObject }, kind: DomainKind): Promise<CtyObject> {
  const name = str(ctx.prior, 'name')!;
  const ts = ctx.meta.ts;
  const opts = { signal: ctx.signal };
  ctx.meta.ledger.applying(name);
  const memory = num(ctx.planned, 'memory');
  if (memory !== undefined && memory !== num(ctx.prior, 'memory')) {
    ctx.log.info('changing memory in place', { domain: name, memory });
    await ts.memSet(name, memory, opts);
  }
  const vcpus = num(ctx.planned, 'vcpus');
  if (vcpus !== undefined && vcpus !== num(ctx.prior, 'vcpus')) {
    ctx.log.info('changing vcpus in place', { domain: name, vcpus });
    await ts.vcpuSet(name, vcpus, opts);
  }
  const want = objects(ctx.planned, 'pci').map(pciSpec);
  const have = objects(ctx.prior, 'pci').map(pciSpec);
  const key = (p: PciSpec) => normalizeBdf(p.bdf);
  const same = (a: PciSpec, b: PciSpec) => JSON.stringify({ ...a, bdf: key(a) }) === JSON.stringify({ ...b, bdf: key(b) });
  for (const h of have) {
    const w = want.find((x) => key(x) === key(h));
    if (!w || !same(w, h)) {
      ctx.log.info('detaching PCI device', { domain: name, bdf: key(h) });
      await ts.pciDetach(name, h.bdf, opts);
      if (!w) await finishDeferredRelease(ctx, h.bdf);
    }
  }
  for (const w of want) {
    const h = have.find((x) => key(x) === key(w));
    if (!h || !same(w, h)) {
      ctx.log.info('attaching PCI device', { domain: name, bdf: key(w) });
      await ts.pciAttach(name, w, opts);
    }
  }
  const { info, rt } = await readBack(ts, name);
  if (!info) throw new DiagnosticError(`Domain ${name} disappeared during the update`, 'Check `xl dmesg`; the next plan will recreate it.');
  const values = valuesFrom(info, rt, ctx.planned, kind);
  for (const k of Object.keys(ctx.planned)) if (!(k in values)) values[k] = ctx.planned[k];
  return values;
}

export async function deleteDomain(ctx: BaseContext<XenClient> & { prior: CtyObject }): Promise<void> {
  const name = str(ctx.prior, 'name')!;
  const dom0 = checkNotDom0(name);
  if (dom0) throw new DiagnosticError('Refusing to destroy Domain-0', `${dom0}. Remove it from the state with \`terraform state rm\`; the host is not touched.`, [{ attr: 'name' }]);
  const timeoutMs = ctx.meta.shutdownTimeoutMs;
  ctx.log.info('shutting down domain', { domain: name, timeout_ms: timeoutMs });
  const outcome = await ctx.meta.ts.shutdownDomain(name, { timeoutMs, signal: ctx.signal });
  ctx.log.info('domain removed', { domain: name, outcome });
  for (const p of objects(ctx.prior, 'pci').map(pciSpec)) await finishDeferredRelease(ctx, p.bdf);
}

export async function importDomain(id: string, ctx: BaseContext<XenClient>, kind: DomainKind): Promise<CtyObject> {
  const dom0 = checkNotDom0(id) ?? (id === '0' ? checkNotDom0('Domain-0') : undefined);
  if (dom0) throw new DiagnosticError(`Cannot import ${JSON.stringify(id)}`, dom0);
  const info = await ctx.meta.ts.getDomain(id, { signal: ctx.signal });
  if (info?.domid === 0) throw new DiagnosticError(`Cannot import ${JSON.stringify(id)}`, checkNotDom0('Domain-0'));
  if (!info) throw new DiagnosticError(`Cannot import domain ${JSON.stringify(id)}`, `No domain named ${JSON.stringify(id)} is running (see \`xl list\`). Import ids are domain names.`);
  if (kind === 'driver' && !info.driverDomain) {
    throw new DiagnosticError(`${id} is not a driver domain`, 'libxl does not report driver_domain=1 for it; import it as xen_domain instead.');
  }
  const rt = await ctx.meta.ts.domainState(id, { signal: ctx.signal });
  return valuesFrom(info, rt, null, kind);
}
