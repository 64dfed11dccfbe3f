// xen_driver_domain: an unprivileged domain that owns hardware (a NIC, a disk controller) and serves backends to
// other domains, so dom0 no longer touches guest traffic. Always rendered with driver_domain=1.

import type { CtyObject } from '../protocol/cty/types';
import type { ResourceType } from '../framework/resource';
import type { XenClient } from './client';
import { createDomain, deleteDomain, importDomain, noteStoredDomain, planDomain, readDomain, updateDomain } from './domain_common';
import { driverDomainSchema, type DriverDomainModel } from './domain_schema';
import { attrOf, decode, encode, type Reported } from '../framework/model';
import { normalizeBdf } from '../xen/validate';
import { driverClassOf, type DriverClass } from '../policy/model';

export const driverDomainResource: ResourceType<XenClient> = {
  typeName: 'xen_driver_domain',
  schema: driverDomainSchema,
  modifyPlan: (ctx) => planDomain(ctx, 'driver'),
  async create(ctx) {
    const state = await createDomain(ctx, 'driver');
    const planned = model(ctx.planned);
    if (planned.autostart) await ctx.meta.ts.setAutostart(planned.name!, true);
    return state;
  },
  async read(ctx) {
    const state = await readDomain(ctx, 'driver');
    return state && withValues(state, { autostart: await ctx.meta.ts.autostartEnabled(model(state).name!) });
  },
  async update(ctx) {
    const state = await updateDomain(ctx, 'driver');
    const planned = model(ctx.planned);
    const want = planned.autostart ?? false;
    if (want !== model(ctx.prior).autostart) await ctx.meta.ts.setAutostart(planned.name!, want);
    return state;
  },
  async delete(ctx) {
    await deleteDomain(ctx, 'driver');
    await ctx.meta.ts.setAutostart(model(ctx.prior).name!, false);
  },
  noteStored: noteStoredDomain,
  async importState(id, ctx) {
    const state = await importDomain(id, ctx, 'driver');
    return withValues(state, { class: await guessClass(ctx.meta, model(state).pci), autostart: await ctx.meta.ts.autostartEnabled(id) });
  },
  validate(ctx) {
    const config = model(ctx.config);
    if (config.type === 'pv' && (config.pci ?? []).length > 0 && !/iommu=soft/.test(config.cmdline ?? 'iommu=soft')) {
      ctx.diags.warning(
        'PV driver domain with PCI devices usually needs iommu=soft',
        'A PV guest driving a passed-through device needs swiotlb: add "iommu=soft" to cmdline.',
        [attrOf<DriverDomainModel>('cmdline')],
      );
    }
  },
};

function model(v: CtyObject): DriverDomainModel {
  return decode(driverDomainSchema.block, v);
}

/** The state with these values set (and the rest as it was). */
function withValues(state: CtyObject, m: Reported<DriverDomainModel>): CtyObject {
  return encode(driverDomainSchema.block, m, state);
}

/** libxl does not record a driver domain's purpose; on import it is guessed from the PCI class of its devices. */
async function guessClass(meta: XenClient, pci: DriverDomainModel['pci']): Promise<DriverClass> {
  const host = await meta.ts.hostPciDevices();
  return driverClassOf((pci ?? []).map((p) => host.find((h) => h.bdf === normalizeBdf(String(p.bdf)))?.class));
}
