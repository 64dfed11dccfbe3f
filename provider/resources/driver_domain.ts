// xen_driver_domain: an unprivileged domain that owns hardware (a NIC, a disk controller) and serves backends to
// other domains, so dom0 no longer touches guest traffic. Always rendered with driver_domain=1.

import type { ResourceType } from '../framework/resource';
import type { XenClient } from './client';
import {
  createDomain,
  deleteDomain,
  importDomain,
  noteStoredDomain,
  planDomain,
  readDomain,
  updateDomain,
} from './domain_common';
import { driverDomainSchema, type DriverDomainModel } from './domain_schema';
import { attrOf, type Reported } from '../framework/model';
import { typedResource } from '../framework/typed';
import { normalizeBdf } from '../xen/validate';
import { driverClassOf, type DriverClass } from '../policy/model';

export const driverDomainResource: ResourceType<XenClient> = typedResource<XenClient, typeof driverDomainSchema>({
  typeName: 'xen_driver_domain',
  schema: driverDomainSchema,
  modifyPlan: (ctx) => planDomain(ctx, 'driver'),
  async create(ctx) {
    const state = await createDomain(ctx, 'driver');
    const { planned } = ctx.model;
    if (planned.autostart) await ctx.meta.ts.setAutostart(planned.name!, true);
    return state;
  },
  async read(ctx) {
    const state = await readDomain(ctx, 'driver');
    return state && { ...state, autostart: await ctx.meta.ts.autostartEnabled(state.name!) };
  },
  async update(ctx) {
    const state = await updateDomain(ctx, 'driver');
    const { planned, prior } = ctx.model;
    const want = planned.autostart ?? false;
    if (want !== prior.autostart) await ctx.meta.ts.setAutostart(planned.name!, want);
    return state;
  },
  async delete(ctx) {
    await deleteDomain(ctx);
    await ctx.meta.ts.setAutostart(ctx.model.name!, false);
  },
  noteStored: noteStoredDomain,
  async importState(id, ctx) {
    const state = await importDomain(id, ctx, 'driver');
    return {
      ...state,
      class: await guessClass(ctx.meta, state.pci),
      autostart: await ctx.meta.ts.autostartEnabled(id),
    };
  },
  validate(ctx) {
    const { config } = ctx;
    if (config.type === 'pv' && (config.pci ?? []).length > 0 && !/iommu=soft/.test(config.cmdline ?? 'iommu=soft')) {
      ctx.diags.warning(
        'PV driver domain with PCI devices usually needs iommu=soft',
        'A PV guest driving a passed-through device needs swiotlb: add "iommu=soft" to cmdline.',
        [attrOf<DriverDomainModel>('cmdline')],
      );
    }
  },
});

/** libxl does not record a driver domain's purpose; on import it is guessed from the PCI class of its devices. */
async function guessClass(meta: XenClient, pci: Reported<DriverDomainModel>['pci']): Promise<DriverClass> {
  const host = await meta.ts.hostPciDevices();
  return driverClassOf((pci ?? []).map((p) => host.find((h) => h.bdf === normalizeBdf(String(p.bdf)))?.class));
}
