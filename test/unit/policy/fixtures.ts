// Small builders for posture models: a host, domains, vifs and disks with only what a test cares about spelled out.

import { buildModel, type HostFacts, type HostModel, type HostPci, type ModelAssignable, type ModelDisk, type ModelDomain, type ModelFlaskPolicy, type ModelVif } from '../../../provider/policy/model';

export const DEMO_TYPES = ['dom0_t', 'domU_t', 'isolated_domU_t', 'prot_domU_t', 'nomigrate_t', 'dm_dom_t', 'nic_dev_t'];

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
  return { iommu: true, interruptRemapping: true, flaskMode: 'enforcing', flaskTypes: new Set(DEMO_TYPES), pci, ...over };
}

export function dom(name: string, over: Partial<ModelDomain> = {}): ModelDomain {
  const seclabel = 'seclabel' in over ? over.seclabel : 'system_u:system_r:domU_t';
  return {
    model: 'domain',
    name,
    kind: 'guest',
    type: 'pv',
    driverDomainFlag: false,
    seclabel,
    labels: seclabel ? [{ label: seclabel, path: [{ attr: 'seclabel' }] }] : [],
    pci: [],
    resource: 'xen_domain',
    ...over,
  };
}

export const dom0 = (): ModelDomain => dom('Domain-0', { kind: 'dom0', seclabel: undefined, resource: undefined });

export function netdd(name = 'netdd', over: Partial<ModelDomain> = {}): ModelDomain {
  return dom(name, {
    kind: 'driver', class: 'network', driverDomainFlag: true, resource: 'xen_driver_domain',
    seclabel: 'system_u:system_r:domU_t', labels: [{ label: 'system_u:system_r:domU_t', path: [{ attr: 'seclabel' }] }],
    pci: [{ bdf: '0000:03:00.0', permissive: false, path: [{ attr: 'pci' }, { index: 0 }] }],
    ...over,
  });
}

export const pci = (bdf: string, permissive = false, index = 0) => ({ bdf, permissive, path: [{ attr: 'pci' }, { index }] });

export function vif(domain: string, backend: string, devid?: number): ModelVif {
  return { model: 'vif', domain, backend, devid, resource: 'xen_vif' };
}

export function disk(domain: string, backend: string, vdev: string): ModelDisk {
  const d: ModelDisk = { model: 'disk', domain, backend, vdev, owner: undefined as unknown as ModelDisk, backendPath: [{ attr: 'backend' }], resource: 'xen_disk' };
  d.owner = d;
  return d;
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
  return model({ domains: [netdd(), dom('web', { firmware: 'pvgrub64' })], vifs: [vif('web', 'netdd', 0)], assignables: [{ model: 'assignable', bdf: '0000:03:00.0', resource: 'xen_pci_assignable' }] });
}
