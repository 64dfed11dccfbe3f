// xen_driver_domain: an unprivileged domain that owns hardware (a NIC, a disk controller) and serves backends to
// other domains, so dom0 no longer touches guest traffic. Always rendered with driver_domain=1.

import type { CtyObject } from '../protocol/cty/types';
import type { ResourceType } from '../framework/resource';
import type { XenClient } from './client';
import { createDomain, deleteDomain, importDomain, noteStoredDomain, planDomain, readDomain, updateDomain } from './domain_common';
import { driverDomainSchema } from './domain_schema';
import { bool, objects, str } from '../framework/values';
import { normalizeBdf } from '../xen/validate';

/** libxl does not record a driver domain's purpose; on import it is guessed from the PCI class of its devices. */
async function guessClass(meta: XenClient, state: CtyObject): Promise<string> {
  const host = await meta.ts.hostPciDevices();
  const classes = objects(state, 'pci')
    .map((p) => host.find((h) => h.bdf === normalizeBdf(String(p.bdf)))?.class ?? '')
    .map((c) => c.replace(/^0x/, '').slice(0, 4));
  if (classes.some((c) => c.startsWith('02'))) return 'network';
  if (classes.some((c) => c.startsWith('01'))) return 'storage';
  if (classes.some((c) => c === '0c03')) return 'usb';
  return 'other';
}

export const driverDomainResource: ResourceType<XenClient> = {
  typeName: 'xen_driver_domain',
  schema: driverDomainSchema,
  modifyPlan: (ctx) => planDomain(ctx, 'driver'),
  async create(ctx) {
    const state = await createDomain(ctx, 'driver');
    if (bool(ctx.planned, 'autostart')) await ctx.meta.ts.setAutostart(str(ctx.planned, 'name')!, true);
    return state;
  },
  async read(ctx) {
    const state = await readDomain(ctx, 'driver');
    if (state) state.autostart = await ctx.meta.ts.autostartEnabled(str(state, 'name')!);
    return state;
  },
  async update(ctx) {
    const state = await updateDomain(ctx, 'driver');
    const want = bool(ctx.planned, 'autostart') ?? false;
    if (want !== bool(ctx.prior, 'autostart')) await ctx.meta.ts.setAutostart(str(ctx.planned, 'name')!, want);
    return state;
  },
  async delete(ctx) {
    await deleteDomain(ctx);
    await ctx.meta.ts.setAutostart(str(ctx.prior, 'name')!, false);
  },
  noteStored: noteStoredDomain,
  async importState(id, ctx) {
    const state = await importDomain(id, ctx, 'driver');
    state.class = await guessClass(ctx.meta, state);
    state.autostart = await ctx.meta.ts.autostartEnabled(id);
    return state;
  },
  validate(ctx) {
    if (str(ctx.config, 'type') === 'pv' && objects(ctx.config, 'pci').length > 0 && !/iommu=soft/.test(str(ctx.config, 'cmdline') ?? 'iommu=soft')) {
      ctx.diags.warning(
        'PV driver domain with PCI devices usually needs iommu=soft',
        'A PV guest driving a passed-through device needs swiotlb: add "iommu=soft" to cmdline.',
        [{ attr: 'cmdline' }],
      );
    }
  },
};
