// The host as the posture rules see it: one flat model of domains, their devices and the host's facts, built from
// live state (what libxl reports) with the objects Terraform is planning laid over it. Rules read only this model,
// so they are plain functions that unit tests can feed directly.

import type { Path } from '../framework/diagnostics';
import type { DomainType, FlaskMode } from '../xen/model';

/** vtpm: a vTPM stub domain serving one guest's TPM; vtpm_manager: the domain owning the physical TPM for them. */
export type ModelDomainKind = 'dom0' | 'driver' | 'guest' | 'vtpm' | 'vtpm_manager';
export type DriverClass = 'network' | 'storage' | 'usb' | 'other';

/** The Terraform resource a model object came from; absent for live objects no resource in this plan manages. */
export type ResourceRef =
  | 'xen_domain'
  | 'xen_driver_domain'
  | 'xen_vif'
  | 'xen_disk'
  | 'xen_pci_assignable'
  | 'xen_flask_policy'
  | 'xen_vtpm'
  | 'xen_vtpm_manager';

/**
 * Where the attributes a rule reports on are configured in the resource a model object came from (each a diagnostic's
 * attribute path). The resources fill them in from their typed models (resources/posture_objects.ts), so no attribute
 * name is spelled here. An object read from the live host is no resource's: its findings name no attribute (its paths
 * are empty), as does an attribute its resource does not have.
 */
export type Paths<K extends string> = Readonly<Record<K, Path>>;

export type PciPaths = Paths<'bdf' | 'permissive'>;
/** `stubdomain` and `stubdomainSeclabel`: the device model's (`device_model.stubdomain`, `device_model.seclabel`). */
export type DomainPaths = Paths<
  'name' | 'type' | 'bootloader' | 'seclabel' | 'pci' | 'stubdomain' | 'stubdomainSeclabel' | 'vtpmBackend'
>;
export type VifPaths = Paths<'domain' | 'backend'>;
export type DiskPaths = Paths<'backend'>;
export type AssignablePaths = Paths<'bdf'>;
export type FlaskPolicyPaths = Paths<'enforcing'>;

/** The paths of a live object, and of the attributes a resource does not have: none. */
export const NO_PATHS: {
  readonly pci: PciPaths;
  readonly domain: DomainPaths;
  readonly vif: VifPaths;
  readonly disk: DiskPaths;
} = {
  pci: { bdf: [], permissive: [] },
  domain: {
    name: [],
    type: [],
    bootloader: [],
    seclabel: [],
    pci: [],
    stubdomain: [],
    stubdomainSeclabel: [],
    vtpmBackend: [],
  },
  vif: { domain: [], backend: [] },
  disk: { backend: [] },
};

export interface ModelPci {
  /** Normalized `DDDD:BB:SS.F` when it could be normalized, else as written; undefined while unknown at plan time. */
  bdf?: string;
  permissive: boolean;
  /** Within the owning resource, e.g. `pci[0].bdf`. */
  paths: PciPaths;
}

/**
 * What a label is the label of: `domain`, the label the domain runs with; `build`, the one it is built with (it
 * switches to the first afterwards); `stubdomain`, its device model's stub domain's.
 */
export type LabelRole = 'domain' | 'build' | 'stubdomain';

export interface ModelLabel {
  label: string;
  role: LabelRole;
  /** Where it is configured in the resource (empty for a live domain). */
  path: Path;
}

export interface ModelDomain {
  readonly model: 'domain';
  name: string;
  kind: ModelDomainKind;
  /** Driver domains: what they drive (from the resource, or guessed from their PCI devices when live). */
  class?: DriverClass;
  /** undefined when unknown at plan time. */
  type?: DomainType;
  /** libxl's driver_domain flag (always set by xen_driver_domain). */
  driverDomainFlag: boolean;
  seclabel?: string;
  /** Every label the domain and its stub domain carry, with where each is configured. */
  labels: ModelLabel[];
  bootloader?: string;
  firmware?: string;
  /** HVM only: where the device model runs; undefined when no device_model block (QEMU in dom0). */
  deviceModel?: { stubdomain: boolean; seclabel?: string };
  pci: ModelPci[];
  /** Planned domains: the pci blocks are not known yet (a dynamic block over an unknown value), so `pci` may be short. */
  pciUnknown?: boolean;
  /** The domain serving this domain's TPM: a guest's vTPM domain, or a vTPM domain's manager. */
  vtpmBackend?: string;
  /** In its resource; `vtpmBackend` is `vtpm.backend` on a guest, `manager` on a vTPM. */
  paths: DomainPaths;
  resource?: ResourceRef;
}

export interface ModelVif {
  readonly model: 'vif';
  domain: string;
  backend: string;
  devid?: number;
  bridge?: string;
  paths: VifPaths;
  resource?: ResourceRef;
}

export interface ModelDisk {
  readonly model: 'disk';
  domain: string;
  backend: string;
  vdev: string;
  /** The resource object findings about this disk belong to: the xen_disk itself, or the domain for inline disks. */
  owner: ModelObject;
  /** Within owner: `backend` for xen_disk, `disk[i].backend` inline, `storage_backend` for a vTPM's state disk. */
  paths: DiskPaths;
  resource?: ResourceRef;
}

export interface ModelAssignable {
  readonly model: 'assignable';
  bdf: string;
  paths: AssignablePaths;
  resource?: ResourceRef;
}

export interface ModelFlaskPolicy {
  readonly model: 'flask_policy';
  enforcing?: boolean;
  paths: FlaskPolicyPaths;
  resource?: ResourceRef;
}

export type ModelObject = ModelDomain | ModelVif | ModelDisk | ModelAssignable | ModelFlaskPolicy;

export interface HostPci {
  bdf: string;
  /** e.g. `0x020000`. */
  class?: string;
  /** undefined or empty: the kernel has no way to reset it. */
  resetMethod?: string;
  /** Bound to pciback (ready for passthrough) right now. */
  assignable: boolean;
}

export interface HostFacts {
  /** undefined: not known (validation without host access). */
  iommu?: boolean;
  interruptRemapping?: boolean;
  /** Xen was booted with iommu=no-quarantine: devices between owners go back to dom0's IOMMU context. */
  noQuarantine?: boolean;
  flaskMode?: FlaskMode;
  /** The loaded policy's types; undefined when they cannot be known. */
  flaskTypes?: ReadonlySet<string>;
  /** Domain type -> device types the known policy lets it use without an IOMMU; undefined when no policy is known. */
  flaskNoiommu?: ReadonlyMap<string, string[]>;
  pci: ReadonlyMap<string, HostPci>;
}

export interface HostModel {
  host: HostFacts;
  domains: ModelDomain[];
  vifs: ModelVif[];
  disks: ModelDisk[];
  assignables: ModelAssignable[];
  flaskPolicy?: ModelFlaskPolicy;
  /** Indexes the rules share, built once per model by indexModel(). */
  index: ModelIndex;
}

export interface ModelIndex {
  byName: ReadonlyMap<string, ModelDomain>;
  /** Every domain passing each BDF through. */
  pciUsers: ReadonlyMap<string, ModelDomain[]>;
  networkDriverDomains: ModelDomain[];
  storageDriverDomains: ModelDomain[];
  /** Network-class functions that are (or are planned to be) assignable and not passed through yet. */
  assignableNics: string[];
  /** Domain name -> the domains whose TPM it serves (vtpmBackend). */
  vtpmFrontends: ReadonlyMap<string, ModelDomain[]>;
}

export const DOM0 = 'Domain-0';

/** PCI base class 0x02: network controller. */
export function isNetworkClass(cls: string | undefined): boolean {
  return !!cls && /^(0x)?02/i.test(cls);
}

export function classFromPci(host: HostFacts, pci: ModelPci[]): DriverClass {
  return driverClassOf(pci.map((p) => (p.bdf !== undefined ? host.pci.get(p.bdf)?.class : undefined)));
}

/**
 * What a driver domain drives, from the PCI class codes of its devices (`0x020000`, as the host lists them): libxl
 * records no purpose, so both the posture's view of a live driver domain and an import guess it this way.
 */
export function driverClassOf(pciClasses: Array<string | undefined>): DriverClass {
  const classes = pciClasses.map((c) => (c ?? '').replace(/^0x/i, '').slice(0, 4).toLowerCase());
  if (classes.some((c) => c.startsWith('02'))) return 'network';
  if (classes.some((c) => c.startsWith('01'))) return 'storage';
  if (classes.some((c) => c === '0c03')) return 'usb';
  return 'other';
}

/** The rules' shared lookups; call after the model's lists are final. */
export function indexModel(m: Omit<HostModel, 'index'>): ModelIndex {
  const byName = new Map<string, ModelDomain>();
  const pciUsers = new Map<string, ModelDomain[]>();
  const vtpmFrontends = new Map<string, ModelDomain[]>();
  const networkDriverDomains: ModelDomain[] = [];
  const storageDriverDomains: ModelDomain[] = [];
  for (const d of m.domains) {
    byName.set(d.name, d);
    for (const p of d.pci) {
      if (p.bdf === undefined) continue;
      const users = pciUsers.get(p.bdf);
      if (!users) pciUsers.set(p.bdf, [d]);
      else if (!users.includes(d)) users.push(d);
    }
    if (d.vtpmBackend !== undefined)
      (vtpmFrontends.get(d.vtpmBackend) ?? vtpmFrontends.set(d.vtpmBackend, []).get(d.vtpmBackend)!).push(d);
    if (d.kind === 'driver' && d.class === 'network') networkDriverDomains.push(d);
    if (d.kind === 'driver' && d.class === 'storage') storageDriverDomains.push(d);
  }
  const assignableBdfs = new Set<string>(m.assignables.map((a) => a.bdf));
  for (const h of m.host.pci.values()) if (h.assignable) assignableBdfs.add(h.bdf);
  const assignableNics = [...assignableBdfs]
    .filter((b) => isNetworkClass(m.host.pci.get(b)?.class) && !pciUsers.has(b))
    .sort();
  return { byName, pciUsers, networkDriverDomains, storageDriverDomains, assignableNics, vtpmFrontends };
}

export function buildModel(m: Omit<HostModel, 'index'>): HostModel {
  return { ...m, index: indexModel(m) };
}

export function labelType(label: string): string {
  const parts = label.split(':');
  return parts.length >= 3 ? parts[2] : '';
}
