// What a planned (or validated) resource contributes to the security posture's model, made from the same typed
// models the resources read (domain_common.ts decodes a domain's values once, for its spec and for this), and handed
// to the posture engine, which never reads Terraform values itself. Unknown values become undefined: a rule never
// guesses.

import { Unknown, type CtyObject } from '../protocol/cty/types';
import type { Path } from '../framework/diagnostics';
import { attrOf, unknownAt } from '../framework/model';
import type { DomainType } from '../xen/model';
import { DOM0, type DriverClass, type ModelAssignable, type ModelDisk, type ModelDomain, type ModelFlaskPolicy, type ModelObject, type ModelPci, type ModelVif, type ResourceRef } from '../policy/model';
import { normBdf, type PlannedObjects } from '../policy/sources';
import { domainModel, schemaOf } from './domain_common';
import type { DiskBlockModel, DomainModel } from './domain_schema';
import { domainLabels, seclabelOnly } from './labels';
import { vifModel } from './vif';
import { diskModel, type DiskModel } from './disk';
import { pciAssignableModel } from './pci_assignable';
import { flaskPolicyModel } from './flask_policy';
import { vtpmModel, type VtpmModel } from './vtpm';
import { managerModel } from './vtpm_manager';
import type { StubModel } from './vtpm_domain';

function domainFrom(v: CtyObject, resource: 'xen_domain' | 'xen_driver_domain'): PlannedObjects | undefined {
  const kind = resource === 'xen_driver_domain' ? 'driver' : 'guest';
  const m = domainModel(v, kind);
  const { name, device_model: dm } = m;
  if (!name) return undefined;
  const vtpmBackend = m.vtpm?.backend;
  const pciAt = 'pci' satisfies keyof DomainModel;
  const pci: ModelPci[] = (m.pci ?? []).map((p, i) => ({ bdf: p.bdf ? normBdf(p.bdf) : undefined, permissive: p.permissive === true, path: [{ attr: pciAt }, { index: i }] }));
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
    pciUnknown: unknownAt(schemaOf(kind).block, v, pciAt) || (Array.isArray(v[pciAt]) && v[pciAt].some((p) => p instanceof Unknown)),
    vtpmBackend,
    vtpmBackendPath: vtpmBackend ? [attrOf<DomainModel>('vtpm'), attrOf<NonNullable<DomainModel['vtpm']>>('backend')] : undefined,
    resource,
  };
  const inlineDisks: ModelDisk[] = (m.disk ?? []).flatMap((k, i) =>
    k.vdev ? [{ model: 'disk' as const, domain: name, backend: k.backend ?? DOM0, vdev: k.vdev, owner: d, backendPath: [attrOf<DomainModel>('disk'), { index: i }, attrOf<DiskBlockModel>('backend')] as Path }] : [],
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
    labels: seclabelOnly(m.seclabel),
    pci: [],
    vtpmBackend: manager,
    vtpmBackendPath: manager ? [attrOf<VtpmModel>('manager')] : undefined,
    resource,
  };
  const inlineDisks: ModelDisk[] = m.storage
    ? [{ model: 'disk', domain: name, backend: m.storage_backend ?? DOM0, vdev: 'hda', owner: d, backendPath: [attrOf<StubModel>('storage_backend')] }]
    : [];
  return { subject: d, inlineDisks, key: `domain:${name}` };
}

function vifFrom(v: CtyObject, prior: CtyObject | null): PlannedObjects | undefined {
  const m = vifModel(v);
  const { domain, backend } = m;
  if (!domain || !backend) return undefined;
  const devid = m.devid ?? (prior ? vifModel(prior).devid : undefined);
  const vif: ModelVif = { model: 'vif', domain, backend, devid, bridge: m.bridge, resource: 'xen_vif' };
  const key = devid !== undefined ? `vif:${domain}/${devid}` : `vif:new:${domain}:${backend}:${m.mac ?? ''}:${vif.bridge ?? ''}`;
  return { subject: vif, inlineDisks: [], key };
}

function diskFrom(v: CtyObject): PlannedObjects | undefined {
  const { domain, backend, vdev } = diskModel(v);
  if (!domain || !backend || !vdev) return undefined;
  const disk: ModelDisk = { model: 'disk', domain, backend, vdev, owner: undefined as unknown as ModelObject, backendPath: [attrOf<DiskModel>('backend')], resource: 'xen_disk' };
  disk.owner = disk;
  return { subject: disk, inlineDisks: [], key: `disk:${domain}/${vdev}` };
}

function assignableFrom(v: CtyObject): PlannedObjects | undefined {
  const { bdf } = pciAssignableModel(v);
  if (!bdf) return undefined;
  const a: ModelAssignable = { model: 'assignable', bdf: normBdf(bdf), resource: 'xen_pci_assignable' };
  return { subject: a, inlineDisks: [], key: `assignable:${a.bdf}` };
}

function flaskPolicyFrom(v: CtyObject): PlannedObjects {
  const p: ModelFlaskPolicy = { model: 'flask_policy', enforcing: flaskPolicyModel(v).enforcing, resource: 'xen_flask_policy' };
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
