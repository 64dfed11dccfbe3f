// Model objects from live state (the Toolstack's listings). Those from the values Terraform sends for a resource being
// planned or validated are made where the resources' typed models are, in resources/posture_objects.ts, and handed to
// the engine (PostureEngineOptions.objects). A live object is no resource's, so its paths are empty (NO_PATHS): a
// finding about it is reported as data (xen_security_posture), never on a resource's attribute.

import type { DomainInfo, FlaskMode, HostInfo, HostPciDevice } from '../xen/model';
import type { CtyObject } from '../protocol/cty/types';
import { normalizeBdf } from '../xen/validate';
import {
  DOM0,
  NO_PATHS,
  classFromPci,
  type HostFacts,
  type HostPci,
  type ModelDisk,
  type ModelDomain,
  type ModelDomainKind,
  type ModelLabel,
  type ModelObject,
  type ModelPci,
  type ModelVif,
} from './model';

/** What one planned (or validated) resource contributes to the model. */
export interface PlannedObjects {
  /** The object findings about this resource are reported on. */
  subject: ModelObject;
  /** Disks declared inline in a domain resource. */
  inlineDisks: ModelDisk[];
  /** Identity used to replace the live object it describes, and earlier plans of the same resource. */
  key: string;
}

/** The model objects of one resource's values; undefined for types the posture does not look at or unknown identity. */
export type PlannedObjectsOf = (
  typeName: string,
  values: CtyObject,
  prior?: CtyObject | null,
) => PlannedObjects | undefined;

export function normBdf(bdf: string): string {
  try {
    return normalizeBdf(bdf);
  } catch {
    return bdf;
  }
}

// ---- live state ----

export interface LiveState {
  info: HostInfo;
  flask: FlaskMode;
  flaskTypes?: string[];
  domains: DomainInfo[];
  hostPci: HostPciDevice[];
  assignable: string[];
}

/** iommu= is a comma list; the last of quarantine / no-quarantine wins, as in Xen's parse_iommu_param. */
export function noQuarantine(commandline: string | undefined): boolean | undefined {
  if (commandline === undefined) return undefined;
  let off = false;
  for (const m of commandline.matchAll(/(?:^|\s)iommu=(\S+)/g)) {
    for (const opt of m[1].split(',')) {
      if (
        opt === 'no-quarantine' ||
        opt === 'quarantine=0' ||
        opt === 'quarantine=no' ||
        opt === 'quarantine=false' ||
        opt === 'quarantine=off'
      )
        off = true;
      else if (opt === 'quarantine' || /^quarantine=(1|yes|true|on|scratch-page)$/.test(opt)) off = false;
    }
  }
  return off;
}

export function hostFacts(live: LiveState): HostFacts {
  const assignable = new Set(live.assignable.map(normBdf));
  const pci = new Map<string, HostPci>();
  for (const h of live.hostPci) {
    const bdf = normBdf(h.bdf);
    pci.set(bdf, { bdf, class: h.class, resetMethod: h.resetMethod, assignable: assignable.has(bdf) });
  }
  return {
    iommu: live.info.iommu,
    interruptRemapping: live.info.interruptRemapping,
    noQuarantine: noQuarantine(live.info.raw?.xen_commandline),
    flaskMode: live.flask,
    flaskTypes: live.flaskTypes ? new Set(live.flaskTypes) : undefined,
    pci,
  };
}

export interface LiveObjects {
  domains: ModelDomain[];
  vifs: ModelVif[];
  disks: ModelDisk[];
}

/** The file name of a kernel path; cheap, since the posture runs over every domain on every plan. */
function imageName(kernel: string | undefined): string {
  return kernel === undefined ? '' : kernel.slice(kernel.lastIndexOf('/') + 1);
}

/**
 * What a live domain is. libxl records no role for vTPM domains: the stub domain images tell (vtpmmgr-stubdom,
 * vtpm-stubdom), else the wiring does: serving TPMs while using one is a vTPM, serving them without one a manager.
 */
function liveKind(d: DomainInfo, servesTpm: boolean): ModelDomainKind {
  if (d.domid === 0 || d.name === DOM0) return 'dom0';
  if (d.driverDomain) return 'driver';
  if (d.kernel !== undefined && d.kernel.includes('vtpm')) {
    const image = imageName(d.kernel);
    if (image.startsWith('vtpmmgr')) return 'vtpm_manager';
    if (image.startsWith('vtpm-stubdom')) return 'vtpm';
  }
  if (servesTpm) return d.vtpms.length > 0 ? 'vtpm' : 'vtpm_manager';
  return 'guest';
}

export function liveObjects(domains: DomainInfo[], host: HostFacts): LiveObjects {
  const byDomid = new Map(domains.map((d) => [d.domid, d.name]));
  const backendName = (name: string | undefined, domid: number | undefined) =>
    name ?? (domid !== undefined ? byDomid.get(domid) : undefined) ?? DOM0;
  const tpmBackends = new Set<string>();
  for (const d of domains) for (const v of d.vtpms) tpmBackends.add(backendName(v.backendDomname, v.backendDomid));
  const out: LiveObjects = { domains: [], vifs: [], disks: [] };
  for (const d of domains) {
    const kind = liveKind(d, tpmBackends.has(d.name));
    const vt = d.vtpms[0];
    const pci: ModelPci[] = d.pcidevs.map((p) => ({
      bdf: normBdf(p.bdf),
      permissive: p.permissive,
      paths: NO_PATHS.pci,
    }));
    const labels: ModelLabel[] = [];
    if (d.seclabel) labels.push({ label: d.seclabel, role: 'domain', path: [] });
    if (d.initSeclabel) labels.push({ label: d.initSeclabel, role: 'build', path: [] });
    if (d.deviceModel.seclabel) labels.push({ label: d.deviceModel.seclabel, role: 'stubdomain', path: [] });
    const md: ModelDomain = {
      model: 'domain',
      name: d.name,
      kind,
      class: kind === 'driver' ? classFromPci(host, pci) : undefined,
      type: d.type,
      driverDomainFlag: d.driverDomain,
      seclabel: d.seclabel,
      labels,
      bootloader: d.bootloader,
      firmware: d.firmware,
      deviceModel:
        d.type === 'hvm' ? { stubdomain: d.deviceModel.stubdomain, seclabel: d.deviceModel.seclabel } : undefined,
      pci,
      vtpmBackend: vt ? backendName(vt.backendDomname, vt.backendDomid) : undefined,
      paths: NO_PATHS.domain,
    };
    out.domains.push(md);
    for (const n of d.nics) {
      out.vifs.push({
        model: 'vif',
        domain: d.name,
        backend: backendName(n.backendDomname, n.backendDomid),
        devid: n.devid,
        bridge: n.bridge,
        paths: NO_PATHS.vif,
      });
    }
    for (const k of d.disks) {
      out.disks.push({
        model: 'disk',
        domain: d.name,
        backend: backendName(k.backendDomname, k.backendDomid),
        vdev: k.vdev,
        owner: md,
        paths: NO_PATHS.disk,
      });
    }
  }
  return out;
}
