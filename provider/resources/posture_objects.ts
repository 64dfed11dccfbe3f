// What a planned (or validated) resource contributes to the security posture's model, made from the same typed
// models the resources read (domain_common.ts decodes a domain's values once, for its spec and for this), and handed
// to the posture engine, which never reads Terraform values itself. Unknown values become undefined: a rule never
// guesses.

import { Unknown, type CtyObject } from '../protocol/cty/types';
import type { Path } from '../framework/diagnostics';
import { attrOf, unknownAt } from '../framework/model';
import type { DomainType } from '../xen/model';
import {
  DOM0,
  NO_PATHS,
  type AssignablePaths,
  type DiskPaths,
  type DomainPaths,
  type DriverClass,
  type FlaskPolicyPaths,
  type ModelAssignable,
  type ModelDisk,
  type ModelDomain,
  type ModelFlaskPolicy,
  type ModelObject,
  type ModelPci,
  type ModelVif,
  type PciPaths,
  type ResourceRef,
  type VifPaths,
} from '../policy/model';
import { normBdf, type PlannedObjects } from '../policy/sources';
import { domainModel, schemaOf } from './domain_common';
import type { DiskBlockModel, DomainModel, GuestDomainModel, PciBlockModel } from './domain_schema';
import { domainLabels, seclabelOnly } from './labels';
import { vifModel, type VifModel } from './vif';
import { diskModel, type DiskModel } from './disk';
import { pciAssignableModel, type PciAssignableModel } from './pci_assignable';
import { flaskPolicyModel, type FlaskPolicyModel } from './flask_policy';
import { vtpmModel, type VtpmModel } from './vtpm';
import { managerModel } from './vtpm_manager';
import type { StubModel } from './vtpm_domain';

// ---- where the rules report: each resource's attributes, named through its model ----

type DeviceModelBlock = NonNullable<GuestDomainModel['device_model']>;
type GuestVtpmBlock = NonNullable<GuestDomainModel['vtpm']>;

/** Of the attributes both domain resources declare (domain_schema.ts domainAttributes). */
const DOMAIN_PATHS = {
  name: [attrOf<DomainModel>('name')],
  type: [attrOf<DomainModel>('type')],
  bootloader: [attrOf<DomainModel>('bootloader')],
  seclabel: [attrOf<DomainModel>('seclabel')],
  pci: [attrOf<DomainModel>('pci')],
} satisfies Partial<DomainPaths>;

const STUB_PATHS: DomainPaths = {
  ...NO_PATHS.domain,
  name: [attrOf<StubModel>('name')],
  seclabel: [attrOf<StubModel>('seclabel')],
};

interface ResourcePaths extends Readonly<
  Record<'xen_domain' | 'xen_driver_domain' | 'xen_vtpm' | 'xen_vtpm_manager', DomainPaths>
> {
  readonly xen_vif: VifPaths;
  readonly xen_disk: DiskPaths;
  readonly xen_pci_assignable: AssignablePaths;
  readonly xen_flask_policy: FlaskPolicyPaths;
}

/** The attribute paths of each resource's model objects (the test models are built with them too). */
export const RESOURCE_PATHS: ResourcePaths = {
  xen_domain: {
    ...DOMAIN_PATHS,
    stubdomain: [attrOf<GuestDomainModel>('device_model'), attrOf<DeviceModelBlock>('stubdomain')],
    stubdomainSeclabel: [attrOf<GuestDomainModel>('device_model'), attrOf<DeviceModelBlock>('seclabel')],
    vtpmBackend: [attrOf<GuestDomainModel>('vtpm'), attrOf<GuestVtpmBlock>('backend')],
  },
  xen_driver_domain: { ...NO_PATHS.domain, ...DOMAIN_PATHS },
  xen_vtpm: { ...STUB_PATHS, vtpmBackend: [attrOf<VtpmModel>('manager')] },
  xen_vtpm_manager: STUB_PATHS,
  xen_vif: { domain: [attrOf<VifModel>('domain')], backend: [attrOf<VifModel>('backend')] },
  xen_disk: { backend: [attrOf<DiskModel>('backend')] },
  xen_pci_assignable: { bdf: [attrOf<PciAssignableModel>('bdf')] },
  xen_flask_policy: { enforcing: [attrOf<FlaskPolicyModel>('enforcing')] },
};

/** The `pci` block at index i of a domain resource. */
export function pciPaths(i: number): PciPaths {
  const at: Path = [attrOf<DomainModel>('pci'), { index: i }];
  return { bdf: [...at, attrOf<PciBlockModel>('bdf')], permissive: [...at, attrOf<PciBlockModel>('permissive')] };
}

/** The `disk` block at index i of a domain resource. */
export function inlineDiskPaths(i: number): DiskPaths {
  return { backend: [attrOf<DomainModel>('disk'), { index: i }, attrOf<DiskBlockModel>('backend')] };
}

/** A stub domain's state disk (vtpm_domain.ts stubSpec's `hda`). */
const STORAGE_PATHS: DiskPaths = { backend: [attrOf<StubModel>('storage_backend')] };

// ---- the model objects ----

function domainFrom(v: CtyObject, resource: 'xen_domain' | 'xen_driver_domain'): PlannedObjects | undefined {
  const kind = resource === 'xen_driver_domain' ? 'driver' : 'guest';
  const m = domainModel(v, kind);
  const { name, device_model: dm } = m;
  if (!name) return undefined;
  const vtpmBackend = m.vtpm?.backend;
  const pciAt = 'pci' satisfies keyof DomainModel;
  const pci: ModelPci[] = (m.pci ?? []).map((p, i) => ({
    bdf: p.bdf ? normBdf(p.bdf) : undefined,
    permissive: p.permissive === true,
    paths: pciPaths(i),
  }));
  const d: ModelDomain = {
    model: 'domain',
    name,
    kind,
    class: kind === 'driver' ? (m.class as DriverClass | undefined) : undefined,
    type: m.type as DomainType | undefined,
    driverDomainFlag: kind === 'driver',
    seclabel: m.seclabel,
    labels: domainLabels(m),
    bootloader: m.bootloader,
    firmware: m.firmware,
    deviceModel: dm ? { stubdomain: dm.stubdomain === true, seclabel: dm.seclabel } : undefined,
    pci,
    pciUnknown:
      unknownAt(schemaOf(kind).block, v, pciAt) ||
      (Array.isArray(v[pciAt]) && v[pciAt].some((p) => p instanceof Unknown)),
    vtpmBackend,
    paths: RESOURCE_PATHS[resource],
    resource,
  };
  const inlineDisks: ModelDisk[] = (m.disk ?? []).flatMap((k, i) =>
    k.vdev
      ? [
          {
            model: 'disk' as const,
            domain: name,
            backend: k.backend ?? DOM0,
            vdev: k.vdev,
            owner: d,
            paths: inlineDiskPaths(i),
          },
        ]
      : [],
  );
  return { subject: d, inlineDisks, key: `domain:${name}` };
}

/** xen_vtpm_manager and xen_vtpm: mini-os stub domains with one state disk, their label and (a vTPM) its manager. */
function vtpmDomainFrom(v: CtyObject, resource: 'xen_vtpm' | 'xen_vtpm_manager'): PlannedObjects | undefined {
  const m: StubModel = resource === 'xen_vtpm' ? vtpmModel(v) : managerModel(v);
  const { name } = m;
  if (!name) return undefined;
  const manager = resource === 'xen_vtpm' ? (m as VtpmModel).manager : undefined;
  const d: ModelDomain = {
    model: 'domain',
    name,
    kind: resource === 'xen_vtpm' ? 'vtpm' : 'vtpm_manager',
    type: 'pv',
    driverDomainFlag: false,
    seclabel: m.seclabel,
    labels: seclabelOnly(m),
    pci: [],
    vtpmBackend: manager,
    paths: RESOURCE_PATHS[resource],
    resource,
  };
  const inlineDisks: ModelDisk[] = m.storage
    ? [{ model: 'disk', domain: name, backend: m.storage_backend ?? DOM0, vdev: 'hda', owner: d, paths: STORAGE_PATHS }]
    : [];
  return { subject: d, inlineDisks, key: `domain:${name}` };
}

function vifFrom(v: CtyObject, prior: CtyObject | null): PlannedObjects | undefined {
  const m = vifModel(v);
  const { domain, backend } = m;
  if (!domain || !backend) return undefined;
  const devid = m.devid ?? (prior ? vifModel(prior).devid : undefined);
  const vif: ModelVif = {
    model: 'vif',
    domain,
    backend,
    devid,
    bridge: m.bridge,
    paths: RESOURCE_PATHS.xen_vif,
    resource: 'xen_vif',
  };
  const key =
    devid !== undefined ? `vif:${domain}/${devid}` : `vif:new:${domain}:${backend}:${m.mac ?? ''}:${vif.bridge ?? ''}`;
  return { subject: vif, inlineDisks: [], key };
}

function diskFrom(v: CtyObject): PlannedObjects | undefined {
  const { domain, backend, vdev } = diskModel(v);
  if (!domain || !backend || !vdev) return undefined;
  const disk: ModelDisk = {
    model: 'disk',
    domain,
    backend,
    vdev,
    owner: undefined as unknown as ModelObject,
    paths: RESOURCE_PATHS.xen_disk,
    resource: 'xen_disk',
  };
  disk.owner = disk;
  return { subject: disk, inlineDisks: [], key: `disk:${domain}/${vdev}` };
}

function assignableFrom(v: CtyObject): PlannedObjects | undefined {
  const { bdf } = pciAssignableModel(v);
  if (!bdf) return undefined;
  const a: ModelAssignable = {
    model: 'assignable',
    bdf: normBdf(bdf),
    paths: RESOURCE_PATHS.xen_pci_assignable,
    resource: 'xen_pci_assignable',
  };
  return { subject: a, inlineDisks: [], key: `assignable:${a.bdf}` };
}

function flaskPolicyFrom(v: CtyObject): PlannedObjects {
  const p: ModelFlaskPolicy = {
    model: 'flask_policy',
    enforcing: flaskPolicyModel(v).enforcing,
    paths: RESOURCE_PATHS.xen_flask_policy,
    resource: 'xen_flask_policy',
  };
  return { subject: p, inlineDisks: [], key: 'flask' };
}

/** The model objects of one resource's values; undefined for types the posture does not look at or unknown identity. */
export function plannedObjects(
  typeName: string,
  v: CtyObject,
  prior: CtyObject | null = null,
): PlannedObjects | undefined {
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
