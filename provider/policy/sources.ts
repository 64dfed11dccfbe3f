// Model objects from the two places they come from: live state (the Toolstack's listings) and the values Terraform
// sends for a resource being planned or validated. Unknown values become undefined: a rule never guesses.

import { Unknown, type CtyObject } from '../protocol/cty/types';
import type { Path } from '../framework/diagnostics';
import type { DomainInfo, DomainType, FlaskMode, HostInfo, HostPciDevice } from '../xen/model';
import { normalizeBdf } from '../xen/validate';
import { bool, num, obj, objects, str } from '../framework/values';
import {
  DOM0, classFromPci,
  type DriverClass, type HostFacts, type HostPci, type ModelAssignable, type ModelDisk, type ModelDomain, type ModelDomainKind,
  type ModelFlaskPolicy, type ModelLabel, type ModelObject, type ModelPci, type ModelVif, type ResourceRef,
} from './model';

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
      if (opt === 'no-quarantine' || opt === 'quarantine=0' || opt === 'quarantine=no' || opt === 'quarantine=false' || opt === 'quarantine=off') off = true;
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
  const backendName = (name: string | undefined, domid: number | undefined) => name ?? (domid !== undefined ? byDomid.get(domid) : undefined) ?? DOM0;
  const tpmBackends = new Set<string>();
  for (const d of domains) for (const v of d.vtpms) tpmBackends.add(backendName(v.backendDomname, v.backendDomid));
  const out: LiveObjects = { domains: [], vifs: [], disks: [] };
  for (const d of domains) {
    const kind = liveKind(d, tpmBackends.has(d.name));
    const vt = d.vtpms[0];
    const pci: ModelPci[] = d.pcidevs.map((p, i) => ({ bdf: normBdf(p.bdf), permissive: p.permissive, path: [{ attr: 'pci' }, { index: i }] }));
    const labels: ModelLabel[] = [];
    if (d.seclabel) labels.push({ label: d.seclabel, path: [{ attr: 'seclabel' }] });
    if (d.initSeclabel) labels.push({ label: d.initSeclabel, path: [{ attr: 'init_seclabel' }] });
    if (d.deviceModel.seclabel) labels.push({ label: d.deviceModel.seclabel, path: [{ attr: 'device_model' }, { attr: 'seclabel' }] });
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
      deviceModel: d.type === 'hvm' ? { stubdomain: d.deviceModel.stubdomain, seclabel: d.deviceModel.seclabel } : undefined,
      pci,
      vtpmBackend: vt ? backendName(vt.backendDomname, vt.backendDomid) : undefined,
      vtpmBackendPath: vt ? (kind === 'vtpm' ? [{ attr: 'manager' }] : [{ attr: 'vtpm' }, { attr: 'backend' }]) : undefined,
    };
    out.domains.push(md);
    for (const n of d.nics) {
      out.vifs.push({ model: 'vif', domain: d.name, backend: backendName(n.backendDomname, n.backendDomid), devid: n.devid, bridge: n.bridge });
    }
    for (const [i, k] of d.disks.entries()) {
      out.disks.push({ model: 'disk', domain: d.name, backend: backendName(k.backendDomname, k.backendDomid), vdev: k.vdev, owner: md, backendPath: [{ attr: 'disk' }, { index: i }, { attr: 'backend' }] });
    }
  }
  return out;
}

// ---- Terraform values ----

/** What one planned (or validated) resource contributes to the model. */
export interface PlannedObjects {
  /** The object findings about this resource are reported on. */
  subject: ModelObject;
  /** Disks declared inline in a domain resource. */
  inlineDisks: ModelDisk[];
  /** Identity used to replace the live object it describes, and earlier plans of the same resource. */
  key: string;
}

function labelsOf(v: CtyObject): ModelLabel[] {
  const out: ModelLabel[] = [];
  for (const attr of ['seclabel', 'init_seclabel']) {
    const l = str(v, attr);
    if (l) out.push({ label: l, path: [{ attr }] });
  }
  const dm = obj(v, 'device_model');
  const dml = dm ? str(dm, 'seclabel') : undefined;
  if (dml) out.push({ label: dml, path: [{ attr: 'device_model' }, { attr: 'seclabel' }] });
  return out;
}

function domainFrom(v: CtyObject, resource: 'xen_domain' | 'xen_driver_domain'): PlannedObjects | undefined {
  const name = str(v, 'name');
  if (!name) return undefined;
  const dm = obj(v, 'device_model');
  const vt = obj(v, 'vtpm');
  const vtpmBackend = vt ? str(vt, 'backend') : undefined;
  const type = str(v, 'type') as DomainType | undefined;
  const pci: ModelPci[] = objects(v, 'pci').map((p, i) => {
    const bdf = str(p, 'bdf');
    return { bdf: bdf ? normBdf(bdf) : undefined, permissive: bool(p, 'permissive') === true, path: [{ attr: 'pci' }, { index: i }] };
  });
  const d: ModelDomain = {
    model: 'domain',
    name,
    kind: resource === 'xen_driver_domain' ? 'driver' : 'guest',
    class: resource === 'xen_driver_domain' ? (str(v, 'class') as DriverClass | undefined) : undefined,
    type,
    driverDomainFlag: resource === 'xen_driver_domain',
    seclabel: str(v, 'seclabel'),
    labels: labelsOf(v),
    bootloader: str(v, 'bootloader'),
    firmware: str(v, 'firmware'),
    deviceModel: dm ? { stubdomain: bool(dm, 'stubdomain') === true, seclabel: str(dm, 'seclabel') } : undefined,
    pci,
    pciUnknown: v.pci instanceof Unknown || (Array.isArray(v.pci) && v.pci.some((p) => p instanceof Unknown)),
    vtpmBackend,
    vtpmBackendPath: vtpmBackend ? [{ attr: 'vtpm' }, { attr: 'backend' }] : undefined,
    resource,
  };
  const inlineDisks: ModelDisk[] = objects(v, 'disk').flatMap((k, i) => {
    const vdev = str(k, 'vdev');
    return vdev ? [{ model: 'disk' as const, domain: name, backend: str(k, 'backend') ?? DOM0, vdev, owner: d, backendPath: [{ attr: 'disk' }, { index: i }, { attr: 'backend' }] as Path }] : [];
  });
  return { subject: d, inlineDisks, key: `domain:${name}` };
}

/** xen_vtpm_manager and xen_vtpm: mini-os stub domains with one state disk, their label and (a vTPM) its manager. */
function vtpmDomainFrom(v: CtyObject, resource: 'xen_vtpm' | 'xen_vtpm_manager'): PlannedObjects | undefined {
  const name = str(v, 'name');
  if (!name) return undefined;
  const manager = resource === 'xen_vtpm' ? str(v, 'manager') : undefined;
  const d: ModelDomain = {
    model: 'domain',
    name,
    kind: resource === 'xen_vtpm' ? 'vtpm' : 'vtpm_manager',
    type: 'pv',
    driverDomainFlag: false,
    seclabel: str(v, 'seclabel'),
    labels: labelsOf(v),
    pci: [],
    vtpmBackend: manager,
    vtpmBackendPath: manager ? [{ attr: 'manager' }] : undefined,
    resource,
  };
  const storage = str(v, 'storage');
  const inlineDisks: ModelDisk[] = storage
    ? [{ model: 'disk', domain: name, backend: str(v, 'storage_backend') ?? DOM0, vdev: 'hda', owner: d, backendPath: [{ attr: 'storage_backend' }] }]
    : [];
  return { subject: d, inlineDisks, key: `domain:${name}` };
}

function vifFrom(v: CtyObject, prior: CtyObject | null): PlannedObjects | undefined {
  const domain = str(v, 'domain');
  const backend = str(v, 'backend');
  if (!domain || !backend) return undefined;
  const devid = num(v, 'devid') ?? (prior ? num(prior, 'devid') : undefined);
  const vif: ModelVif = { model: 'vif', domain, backend, devid, bridge: str(v, 'bridge'), resource: 'xen_vif' };
  const key = devid !== undefined ? `vif:${domain}/${devid}` : `vif:new:${domain}:${backend}:${str(v, 'mac') ?? ''}:${vif.bridge ?? ''}`;
  return { subject: vif, inlineDisks: [], key };
}

function diskFrom(v: CtyObject): PlannedObjects | undefined {
  const domain = str(v, 'domain');
  const backend = str(v, 'backend');
  const vdev = str(v, 'vdev');
  if (!domain || !backend || !vdev) return undefined;
  const disk: ModelDisk = { model: 'disk', domain, backend, vdev, owner: undefined as unknown as ModelObject, backendPath: [{ attr: 'backend' }], resource: 'xen_disk' };
  disk.owner = disk;
  return { subject: disk, inlineDisks: [], key: `disk:${domain}/${vdev}` };
}

function assignableFrom(v: CtyObject): PlannedObjects | undefined {
  const bdf = str(v, 'bdf');
  if (!bdf) return undefined;
  const a: ModelAssignable = { model: 'assignable', bdf: normBdf(bdf), resource: 'xen_pci_assignable' };
  return { subject: a, inlineDisks: [], key: `assignable:${a.bdf}` };
}

function flaskPolicyFrom(v: CtyObject): PlannedObjects {
  const p: ModelFlaskPolicy = { model: 'flask_policy', enforcing: bool(v, 'enforcing'), resource: 'xen_flask_policy' };
  return { subject: p, inlineDisks: [], key: 'flask' };
}

/** The model objects of one resource's values; undefined for types the posture does not look at or unknown identity. */
export function plannedObjects(typeName: string, v: CtyObject, prior: CtyObject | null = null): PlannedObjects | undefined {
  switch (typeName as ResourceRef) {
    case 'xen_domain':
    case 'xen_driver_domain':
      return domainFrom(v, typeName as 'xen_domain' | 'xen_driver_domain');
    case 'xen_vif':
      return vifFrom(v, prior);
    case 'xen_disk':
      return diskFrom(v);
    case 'xen_pci_assignable':
      return assignableFrom(v);
    case 'xen_flask_policy':
      return flaskPolicyFrom(v);
    case 'xen_vtpm':
    case 'xen_vtpm_manager':
      return vtpmDomainFrom(v, typeName as 'xen_vtpm' | 'xen_vtpm_manager');
    default:
      return undefined;
  }
}
