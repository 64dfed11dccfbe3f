// Small builders for posture models: a host, domains, vifs and disks with only what a test cares about spelled out.
// The objects of a resource carry the attribute paths the resources give them (resources/posture_objects.ts), those
// of a live object (no resource) none, as in the provider.

import {
  NO_PATHS,
  buildModel,
  type DomainPaths,
  type HostFacts,
  type HostModel,
  type HostPci,
  type ModelAssignable,
  type ModelDisk,
  type ModelDomain,
  type ModelFlaskPolicy,
  type ModelLabel,
  type ModelPci,
  type ModelVif,
} from '../../../provider/policy/model';
import { RESOURCE_PATHS, pciPaths } from '../../../provider/resources/posture_objects';
import { DEMO_INVENTORY } from '../../../provider/xen/sim/inventory';

/** The FLASK types of the demo host's policy (the simulator's built-in inventory). */
export const DEMO_TYPES: readonly string[] = DEMO_INVENTORY.flask.policy_types;

export function pciDev(bdf: string, cls: string, reset: string | undefined, assignable = false): HostPci {
  return { bdf, class: cls, resetMethod: reset, assignable };
}

/** The demo host: IOMMU with interrupt remapping, FLASK enforcing with the example policy's types. */
export function host(over: Partial<HostFacts> = {}): HostFacts {
  const pci = new Map<string, HostPci>([
    ['0000:03:00.0', pciDev('0000:03:00.0', '0x020000', 'flr')],
    ['0000:00:19.0', pciDev('0000:00:19.0', '0x020000', 'flr')],
    ['0000:00:1f.2', pciDev('0000:00:1f.2', '0x010601', undefined)],
    ['0000:01:00.0', pciDev('0000:01:00.0', '0x030000', 'flr')],
  ]);
  return {
    iommu: true,
    interruptRemapping: true,
    flaskMode: 'enforcing',
    flaskTypes: new Set(DEMO_TYPES),
    pci,
    ...over,
  };
}

/** A domain's own label (its `seclabel`). */
export function label(l: string): ModelLabel {
  return { label: l, role: 'domain', path: RESOURCE_PATHS.xen_domain.seclabel };
}

/** A domain of `over.resource` (xen_domain unless given; none for a live one), with that resource's paths. */
export function dom(name: string, over: Partial<ModelDomain> = {}): ModelDomain {
  const seclabel = 'seclabel' in over ? over.seclabel : 'system_u:system_r:domU_t';
  const resource = 'resource' in over ? over.resource : 'xen_domain';
  return {
    model: 'domain',
    name,
    kind: 'guest',
    type: 'pv',
    driverDomainFlag: false,
    seclabel,
    labels: seclabel ? [label(seclabel)] : [],
    pci: [],
    paths: resource ? (RESOURCE_PATHS[resource] as DomainPaths) : NO_PATHS.domain,
    resource,
    ...over,
  };
}

export const dom0 = (): ModelDomain => dom('Domain-0', { kind: 'dom0', seclabel: undefined, resource: undefined });

export function netdd(name = 'netdd', over: Partial<ModelDomain> = {}): ModelDomain {
  return dom(name, {
    kind: 'driver',
    class: 'network',
    driverDomainFlag: true,
    resource: 'xen_driver_domain',
    seclabel: 'system_u:system_r:domU_t',
    labels: [label('system_u:system_r:domU_t')],
    pci: [pci('0000:03:00.0')],
    ...over,
  });
}

/** The `pci` block at `index` of a domain resource; bdf undefined while unknown. */
export const pci = (bdf: string | undefined, permissive = false, index = 0): ModelPci => ({
  bdf,
  permissive,
  paths: pciPaths(index),
});

export function vif(domain: string, backend: string, devid?: number, bridge?: string): ModelVif {
  return { model: 'vif', domain, backend, devid, bridge, paths: RESOURCE_PATHS.xen_vif, resource: 'xen_vif' };
}

export function disk(domain: string, backend: string, vdev: string): ModelDisk {
  const d: ModelDisk = {
    model: 'disk',
    domain,
    backend,
    vdev,
    owner: undefined as unknown as ModelDisk,
    paths: RESOURCE_PATHS.xen_disk,
    resource: 'xen_disk',
  };
  d.owner = d;
  return d;
}

export function assignable(bdf: string): ModelAssignable {
  return { model: 'assignable', bdf, paths: RESOURCE_PATHS.xen_pci_assignable, resource: 'xen_pci_assignable' };
}

export function flaskPolicy(enforcing: boolean | undefined): ModelFlaskPolicy {
  return { model: 'flask_policy', enforcing, paths: RESOURCE_PATHS.xen_flask_policy, resource: 'xen_flask_policy' };
}

export interface ModelParts {
  host?: HostFacts;
  domains?: ModelDomain[];
  vifs?: ModelVif[];
  disks?: ModelDisk[];
  assignables?: ModelAssignable[];
  flaskPolicy?: ModelFlaskPolicy;
}

export function model(p: ModelParts = {}): HostModel {
  return buildModel({
    host: p.host ?? host(),
    domains: [dom0(), ...(p.domains ?? [])],
    vifs: p.vifs ?? [],
    disks: p.disks ?? [],
    assignables: p.assignables ?? [],
    flaskPolicy: p.flaskPolicy,
  });
}

/** The secure demo configuration of DESIGN.md as a model: it must have no findings. */
export function secureModel(): HostModel {
  return model({
    domains: [netdd(), dom('web', { firmware: 'pvgrub64' })],
    vifs: [vif('web', 'netdd', 0)],
    assignables: [assignable('0000:03:00.0')],
  });
}
