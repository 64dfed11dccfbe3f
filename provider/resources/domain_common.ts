// Create / read / update / delete shared by xen_domain and xen_driver_domain: turning Terraform values into a
// DomainSpec, libxl's view back into Terraform values, and the in-place changes libxl can make on a running domain.

import { Unknown, UNKNOWN } from '../protocol/cty/types';
import type { CtyObject, CtyValue } from '../protocol/cty/types';
import { DiagnosticError } from '../framework/diagnostics';
import { isConfiguredPlan } from '../framework/resource';
import { TypedPartialApplyError } from '../framework/typed';
import type { ApplyContext, BaseContext, PlanContext } from '../framework/resource';
import type {
  DiskSpec,
  DomainInfo,
  DomainRuntime,
  DomainSpec,
  PciSpec,
  RdmPolicy,
  ShutdownAction,
  DiskFormat,
  DiskAccess,
  DiskBackendType,
} from '../xen/model';
import { DomainExistsError, XlFailed } from '../xen/errors';
import { checkFirmware, checkNotDom0, normalizeBdf } from '../xen/validate';
import type { XenClient } from './client';
import { compact, spelled } from '../framework/values';
import { attrOf, decode, type Reported } from '../framework/model';
import {
  driverDomainSchema,
  guestDomainSchema,
  type DiskBlockModel,
  type DomainModel,
  type PciBlockModel,
} from './domain_schema';
import { domainLabels, labelProblems } from './labels';
import { sameBdf } from './equivalence';
import { createRecorded, existingDomain, planExistingDomain, removeUnfit } from './domain_adoption';
import { finishDeferredRelease } from './pci_assignable';
import { checkCapacity, checkDiskBackends, checkHostFiles, checkPciBlocks } from './host_checks';
import { guestDeviceSpec, guestDeviceValues, withoutDeviceComputed, withSecrets } from './guest_devices';
import { planDisks, withOwnDisks } from './domain_disks';

export type DomainKind = 'guest' | 'driver';

export function typeNameOf(kind: DomainKind): string {
  return kind === 'driver' ? 'xen_driver_domain' : 'xen_domain';
}

export function schemaOf(kind: DomainKind): typeof guestDomainSchema | typeof driverDomainSchema {
  return kind === 'driver' ? driverDomainSchema : guestDomainSchema;
}

/** The typed model of a domain resource's values (plan, state or configuration). */
export function domainModel(v: CtyObject, kind: DomainKind): DomainModel {
  return decode(schemaOf(kind).block, v);
}

function diskSpec(d: DiskBlockModel): DiskSpec {
  return compact({
    target: d.target!,
    vdev: d.vdev!,
    backend: d.backend ?? 'Domain-0',
    format: d.format as DiskFormat | undefined,
    access: d.access as DiskAccess | undefined,
    backendtype: d.backendtype as DiskBackendType | undefined,
    script: d.script,
  });
}

export function pciSpec(p: PciBlockModel): PciSpec {
  return compact({
    bdf: p.bdf!,
    permissive: p.permissive,
    msitranslate: p.msitranslate,
    seize: p.seize,
    power_mgmt: p.power_mgmt,
    rdm_policy: p.rdm_policy as RdmPolicy | undefined,
  });
}

export function specFrom(m: DomainModel, kind: DomainKind): DomainSpec {
  const dm = m.device_model;
  return compact({
    name: m.name!,
    type: (m.type ?? 'pv') as DomainSpec['type'],
    memory: m.memory!,
    maxmem: m.maxmem,
    vcpus: m.vcpus ?? 1,
    maxvcpus: m.maxvcpus,
    kernel: m.kernel,
    ramdisk: m.ramdisk,
    cmdline: m.cmdline,
    firmware: m.firmware,
    bootloader: m.bootloader,
    driverDomain: kind === 'driver' ? true : undefined,
    seclabel: m.seclabel,
    initSeclabel: m.init_seclabel,
    deviceModel: dm
      ? compact({ stubdomain: dm.stubdomain ?? false, seclabel: dm.seclabel, stubdomainMemory: dm.stubdomain_memory })
      : undefined,
    onPoweroff: m.on_poweroff as ShutdownAction | undefined,
    onReboot: m.on_reboot as ShutdownAction | undefined,
    onCrash: m.on_crash as ShutdownAction | undefined,
    disks: (m.disk ?? []).map(diskSpec),
    pci: (m.pci ?? []).map(pciSpec),
    ...(kind === 'guest' ? guestDeviceSpec(m) : {}),
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
 * normalises; the attributes libxl cannot report (e.g. class) are left out, and encoding takes them from the plan or
 * state (framework/model.ts).
 */
export function valuesFrom(
  info: DomainInfo,
  rt: DomainRuntime | undefined,
  prior: DomainModel | null,
  kind: DomainKind,
): Reported<DomainModel> {
  const priorDisks = prior?.disk ?? [];
  const priorPci = prior?.pci ?? [];
  // A domain's own disks are those its configuration declares; disks hot-attached by xen_disk belong to those
  // resources. On import (no prior) the caller has left out the disks its creation record says came later.
  const own = prior ? info.disks.filter((d) => priorDisks.some((x) => x.vdev === d.vdev)) : info.disks;
  const out: Reported<DomainModel> = {
    id: info.name,
    name: info.name,
    type: info.type,
    memory: info.memory ?? null,
    maxmem: info.maxmem ?? info.memory ?? null,
    vcpus: info.vcpus ?? 1,
    maxvcpus: info.maxvcpus ?? info.vcpus ?? 1,
    kernel: info.kernel ?? null,
    ramdisk: info.ramdisk ?? null,
    cmdline: info.cmdline ?? null,
    firmware: info.firmware ?? null,
    bootloader: info.bootloader ?? null,
    // The label the hypervisor has (xl list -Z) is what FLASK enforces; libxl's config only says what was asked. Only
    // a domain that was given a label is compared: an unlabelled one runs as the policy's default (domU_t).
    seclabel: info.seclabel !== undefined && rt?.label !== undefined ? rt.label : (info.seclabel ?? null),
    init_seclabel: info.initSeclabel ?? null,
    on_poweroff: info.onPoweroff,
    on_reboot: info.onReboot,
    on_crash: info.onCrash,
    domid: info.domid,
    uuid: info.uuid ?? '',
    state: runtimeState(rt),
    disk: own.map((d, i) => {
      const pd = priorDisks.find((x) => x.vdev === d.vdev) ?? priorDisks[i] ?? {};
      return {
        target: spelled(pd.target, d.target) ?? '',
        vdev: d.vdev,
        format: d.format ?? 'raw',
        access: d.access,
        backend: d.backendDomname ?? 'Domain-0',
        backendtype: pd.backendtype !== undefined ? (d.backendtype ?? null) : null,
        script: spelled(pd.script, d.script),
      };
    }),
    pci: info.pcidevs.map((d) => {
      const pp = priorPci.find((x) => x.bdf !== undefined && sameBdf(x.bdf, d.bdf));
      return {
        bdf: spelled(pp?.bdf, d.bdf, sameBdf),
        permissive: d.permissive,
        msitranslate: d.msitranslate,
        seize: d.seize,
        power_mgmt: d.power_mgmt,
        rdm_policy: d.rdm_policy ?? 'strict',
      };
    }),
  };
  if (kind === 'guest') {
    const dm = info.deviceModel;
    const priorDm = prior?.device_model;
    out.device_model =
      info.type === 'hvm' && (priorDm || dm.stubdomain || dm.seclabel)
        ? {
            stubdomain: dm.stubdomain,
            seclabel: dm.seclabel ?? null,
            stubdomain_memory: dm.stubdomainMemory ?? priorDm?.stubdomain_memory ?? null,
          }
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
  await planDisks(ctx);
  const replacing = ctx.isReplacing();
  const configured = domainModel(config, kind);
  const priorModel = prior ? domainModel(prior, kind) : null;
  const limits = [
    ['memory', 'maxmem'],
    ['vcpus', 'maxvcpus'],
  ] as const satisfies ReadonlyArray<readonly [keyof DomainModel, keyof DomainModel]>;
  for (const [value, max] of limits) {
    const v = planned[value];
    if (v instanceof Unknown) {
      if (config[max] === null) planned[max] = UNKNOWN;
      continue;
    }
    const configuredMax = configured[max];
    const priorMax = priorModel?.[max];
    let effective: number | undefined;
    if (configuredMax !== undefined) effective = configuredMax;
    else if (!replacing && priorMax !== undefined && (v as number) <= priorMax) effective = priorMax;
    else effective = v as number;
    planned[max] = effective;
    if (prior && priorMax !== undefined && effective !== priorMax) ctx.requiresReplace([attrOf<DomainModel>(max)]);
    if ((v as number) > effective) {
      ctx.diags.error(
        `${value} exceeds ${max}`,
        `${value} = ${v} is above ${max} = ${effective}. libxl cannot raise a running domain above its ${max}; raise ${max} as well (which replaces the domain).`,
        [attrOf<DomainModel>(value)],
      );
    }
  }

  const m = domainModel(planned, kind);
  const { type, firmware, name } = m;
  if (kind === 'guest' && m.device_model && type !== undefined && type !== 'hvm') {
    ctx.diags.error(
      'device_model applies to HVM guests only',
      `type = "${type}" has no device model; remove the device_model block or use type = "hvm".`,
      [attrOf<DomainModel>('device_model')],
    );
  }
  if (firmware !== undefined && m.kernel !== undefined) {
    ctx.diags.error(
      'Both firmware and kernel are set',
      'Boot either with firmware (e.g. "pvgrub64") or a kernel, not both.',
      [attrOf<DomainModel>('firmware')],
    );
  }
  const fwProblem =
    firmware !== undefined && type !== undefined ? checkFirmware(firmware, type as DomainSpec['type']) : undefined;
  if (fwProblem) ctx.diags.error('Invalid firmware for this domain type', fwProblem, [attrOf<DomainModel>('firmware')]);
  if (type === 'hvm') {
    // libxl refuses these at create ("qemu-xen doesn't support read-only IDE disk drivers", seen on the lab).
    (m.disk ?? []).forEach((d, i) => {
      if (d.access === 'ro' && d.vdev !== undefined && /^hd[a-z]/.test(d.vdev)) {
        ctx.diags.error(
          'Read-only IDE disk on an HVM guest',
          `${d.vdev} is an emulated IDE disk, and QEMU (qemu-xen) cannot make those read-only. Use access = "rw", or an sd* vdev (emulated SCSI, which can be read-only).`,
          [attrOf<DomainModel>('disk'), { index: i }, attrOf<DiskBlockModel>('access')],
        );
      }
    });
  }

  if (!isConfiguredPlan(ctx) || ctx.diags.hasErrors) return;
  if (name !== undefined && (priorModel === null || priorModel.name !== name))
    await planExistingDomain(ctx, name, typeNameOf(kind));
  if (ctx.diags.hasErrors) return;
  if (name !== undefined) {
    ctx.step('checking memory and vCPUs against the host', [attrOf<DomainModel>('memory')]);
    await checkCapacity(ctx, name, m, priorModel);
  }
  ctx.step('checking the PCI functions against the host', [attrOf<DomainModel>('pci')]);
  await checkPciBlocks(ctx, m);
  ctx.step('checking the disk backends', [attrOf<DomainModel>('disk')]);
  await checkDiskBackends(ctx, m);
  ctx.step('checking the files the domain names on the host', [attrOf<DomainModel>('kernel')]);
  await checkHostFiles(ctx, m);
  if (ctx.diags.hasErrors) return;
  const labels = domainLabels(m);
  ctx.step('checking the FLASK labels against the host', labels[0]?.path);
  await labelProblems(ctx, labels);

  // Configurations about to be created go through libxl's own parser first (xl create -n): creates nothing.
  const computed = ['id', 'domid', 'uuid', 'state', 'stubdomain_domid'] satisfies Array<keyof DomainModel>;
  if (ctx.isReplacing() && isWhollyKnownObject(withoutDeviceComputed(planned), computed)) {
    ctx.step('checking the configuration with libxl (xl create -n)');
    try {
      // Display passwords are write-only (only in config); the dry run sees a placeholder, never the secret.
      const dry = await ctx.meta.ts.dryRun(
        withSecrets(specFrom(domainModel(planned, kind), kind), config, { redact: true }),
        { signal: ctx.signal },
      );
      for (const d of dry.differences) {
        ctx.diags.error(
          'libxl would read this configuration differently',
          `${d.path}: meant ${JSON.stringify(d.wanted)}, libxl understood ${JSON.stringify(d.got)}.`,
        );
      }
    } catch (err) {
      // Only a refusal by xl itself is libxl's verdict; a timeout or an xl that cannot be run says so in its own words.
      ctx.diags.fromError(
        err,
        err instanceof XlFailed
          ? 'libxl rejected the domain configuration (xl create -n)'
          : 'Could not check the domain configuration with xl create -n',
      );
    }
  }
}

function isWhollyKnownObject(o: CtyObject, except: ReadonlyArray<keyof DomainModel & string>): boolean {
  const skipped: readonly string[] = except;
  const known = (v: CtyValue): boolean =>
    !(v instanceof Unknown) &&
    (Array.isArray(v)
      ? v.every(known)
      : v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === null
        ? Object.values(v as CtyObject).every(known)
        : true);
  return Object.keys(o).every((k) => skipped.includes(k) || known(o[k]));
}

/** The domain just created or updated, read from the host now (only it: the listing of all grows with the host). */
async function readBack(
  ts: XenClient['ts'],
  name: string,
): Promise<{ info: DomainInfo | undefined; rt: DomainRuntime | undefined }> {
  const [info, rt] = await Promise.all([ts.getDomainNow(name), ts.domainStateNow(name)]);
  return { info, rt };
}

/** After create: check libxl really did what the configuration asked (driver_domain flag, PCI devices, labels). */
async function verifyCreated(
  ctx: ApplyContext<XenClient>,
  info: DomainInfo,
  rt: DomainRuntime | undefined,
  spec: DomainSpec,
  warnings: string[],
  kind: DomainKind,
): Promise<string[]> {
  const problems: string[] = [];
  const ts = ctx.meta.ts;
  if (kind === 'driver' && !info.driverDomain) {
    problems.push(
      'libxl does not report driver_domain=1 for it, so `xl devd` inside it will not be allowed to serve backends.',
    );
  }
  if ((spec.pci ?? []).length > 0) {
    const attached = await ts.pciList(spec.name, { signal: ctx.signal });
    for (const want of spec.pci ?? []) {
      const bdf = normalizeBdf(want.bdf);
      if (!attached.some((a) => sameBdf(a.bdf, bdf)))
        problems.push(`PCI device ${bdf} is not attached (xl pci-list ${spec.name} does not show it).`);
      const cfg = info.pcidevs.find((d) => sameBdf(d.bdf, bdf));
      for (const opt of ['permissive', 'msitranslate', 'seize', 'power_mgmt'] as const) {
        if (want[opt] !== undefined && cfg && cfg[opt] !== want[opt])
          problems.push(`PCI device ${bdf}: ${opt} is ${cfg[opt]}, not ${want[opt]}.`);
      }
    }
  }
  if (spec.seclabel || spec.initSeclabel || spec.deviceModel?.seclabel) {
    const ignored = warnings.find((w) => /XSM Disabled|seclabel not supported/i.test(w));
    const flask = ignored ? 'disabled' : await ts.flaskMode({ signal: ctx.signal });
    if (flask === 'disabled') {
      const msg =
        'its FLASK label was ignored: this Xen has no XSM/FLASK (`xl getenforce` says "Flask XSM Disabled"), so the domain runs unlabelled.';
      if (ctx.meta.securityPolicy === 'enforce')
        problems.push(
          msg +
            ' Boot a Xen built with XSM and a FLASK policy, or set security_policy = "warn" / "off" to accept unlabelled domains.',
        );
      else if (ctx.meta.securityPolicy === 'warn') ctx.diags.warning(`Label of ${spec.name} not in effect`, msg);
    } else if (info.seclabel !== (spec.seclabel ?? spec.initSeclabel)) {
      problems.push(
        `libxl reports label ${JSON.stringify(info.seclabel ?? null)} instead of ${JSON.stringify(spec.seclabel)}.`,
      );
    } else if (spec.seclabel && rt?.label !== undefined && rt.label !== spec.seclabel) {
      problems.push(`the hypervisor runs it labelled ${rt.label} (xl list -Z), not ${spec.seclabel}.`);
    }
  }
  return problems;
}

export async function createDomain(
  ctx: ApplyContext<XenClient> & { model: { planned: DomainModel } },
  kind: DomainKind,
): Promise<Reported<DomainModel>> {
  const { planned } = ctx.model;
  const spec = withSecrets(specFrom(planned, kind), ctx.config);
  const ts = ctx.meta.ts;
  ctx.meta.ledger.applying(spec.name);
  let warnings: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const existing = await existingDomain(ctx, spec, typeNameOf(kind));
    if (existing.action === 'adopt') {
      ctx.log.info('adopting the domain an interrupted create left behind', {
        domain: spec.name,
        uuid: existing.entry.mark,
      });
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
    throw new DiagnosticError(
      `Domain ${spec.name} vanished after xl create`,
      'xl create succeeded but `xl list` does not show it: it may have crashed at boot. Check `xl dmesg` and /var/log/xen/qemu-dm-' +
        spec.name +
        '.log or the console log.',
    );
  }
  const state = valuesFrom(info, rt, planned, kind);
  const problems = await verifyCreated(ctx, info, rt, spec, warnings, kind);
  if (problems.length > 0) {
    // The domain exists: hand its state to Terraform (tainted) so it is replaced, never orphaned.
    throw new TypedPartialApplyError(
      new DiagnosticError(
        `Domain ${spec.name} was created but is not what the configuration asks for`,
        problems.join('\n'),
      ),
      state,
    );
  }
  return state;
}

/** Terraform holds this domain in a state: no other create may adopt it. */
export async function noteStoredDomain({ uuid }: DomainModel, ctx: BaseContext<XenClient>): Promise<void> {
  if (uuid) await ctx.meta.journal.confirm('domain', uuid.toLowerCase());
}

export async function readDomain(
  ctx: BaseContext<XenClient> & { model: DomainModel },
  kind: DomainKind,
): Promise<Reported<DomainModel> | null> {
  const known = ctx.model;
  const name = known.name ?? known.id;
  if (!name) return null;
  const ts = ctx.meta.ts;
  const [info, rt] = await Promise.all([
    ts.getDomain(name, { signal: ctx.signal }),
    ts.domainState(name, { signal: ctx.signal }),
  ]);
  if (!info) {
    ctx.log.info('domain no longer exists; it will be planned for creation', { domain: name });
    return null;
  }
  return valuesFrom(info, rt, known, kind);
}

export async function updateDomain(
  ctx: BaseContext<XenClient> & { model: { planned: DomainModel; prior: DomainModel } },
  kind: DomainKind,
): Promise<Reported<DomainModel>> {
  const { prior, planned } = ctx.model;
  const name = prior.name!;
  const ts = ctx.meta.ts;
  const opts = { signal: ctx.signal };
  ctx.meta.ledger.applying(name);
  const { memory, vcpus } = planned;
  if (memory !== undefined && memory !== prior.memory) {
    ctx.log.info('changing memory in place', { domain: name, memory });
    await ts.memSet(name, memory, opts);
  }
  if (vcpus !== undefined && vcpus !== prior.vcpus) {
    ctx.log.info('changing vcpus in place', { domain: name, vcpus });
    await ts.vcpuSet(name, vcpus, opts);
  }
  const want = (planned.pci ?? []).map(pciSpec);
  const have = (prior.pci ?? []).map(pciSpec);
  const key = (p: PciSpec) => normalizeBdf(p.bdf);
  const same = (a: PciSpec, b: PciSpec) =>
    JSON.stringify({ ...a, bdf: key(a) }) === JSON.stringify({ ...b, bdf: key(b) });
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
  if (!info)
    throw new DiagnosticError(
      `Domain ${name} disappeared during the update`,
      'Check `xl dmesg`; the next plan will recreate it.',
    );
  return valuesFrom(info, rt, planned, kind);
}

export async function deleteDomain(ctx: BaseContext<XenClient> & { model: DomainModel }): Promise<void> {
  const prior = ctx.model;
  const name = prior.name!;
  const dom0 = checkNotDom0(name);
  if (dom0)
    throw new DiagnosticError(
      'Refusing to destroy Domain-0',
      `${dom0}. Remove it from the state with \`terraform state rm\`; the host is not touched.`,
      [attrOf<DomainModel>('name')],
    );
  const timeoutMs = ctx.meta.shutdownTimeoutMs;
  ctx.log.info('shutting down domain', { domain: name, timeout_ms: timeoutMs });
  const outcome = await ctx.meta.ts.shutdownDomain(name, { timeoutMs, signal: ctx.signal });
  ctx.log.info('domain removed', { domain: name, outcome });
  for (const p of (prior.pci ?? []).map(pciSpec)) await finishDeferredRelease(ctx, p.bdf);
}

export async function importDomain(
  id: string,
  ctx: BaseContext<XenClient>,
  kind: DomainKind,
): Promise<Reported<DomainModel>> {
  const dom0 = checkNotDom0(id) ?? (id === '0' ? checkNotDom0('Domain-0') : undefined);
  if (dom0) throw new DiagnosticError(`Cannot import ${JSON.stringify(id)}`, dom0);
  const info = await ctx.meta.ts.getDomain(id, { signal: ctx.signal });
  if (info?.domid === 0) throw new DiagnosticError(`Cannot import ${JSON.stringify(id)}`, checkNotDom0('Domain-0'));
  if (!info)
    throw new DiagnosticError(
      `Cannot import domain ${JSON.stringify(id)}`,
      `No domain named ${JSON.stringify(id)} is running (see \`xl list\`). Import ids are domain names.`,
    );
  if (kind === 'driver' && !info.driverDomain) {
    throw new DiagnosticError(
      `${id} is not a driver domain`,
      'libxl does not report driver_domain=1 for it; import it as xen_domain instead.',
    );
  }
  const rt = await ctx.meta.ts.domainState(id, { signal: ctx.signal });
  return valuesFrom(await withOwnDisks(ctx, info), rt, null, kind);
}
