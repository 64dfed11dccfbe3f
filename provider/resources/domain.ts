// xen_domain: a guest (PV, PVH or HVM), with its FLASK label and, for HVM, its device model in a stub domain.

import { Unknown, type CtyObject } from '../protocol/cty/types';
import type { ResourceType } from '../framework/resource';
import type { XenClient } from './client';
import { createDomain, deleteDomain, importDomain, noteStoredDomain, planDomain, readDomain, updateDomain } from './domain_common';
import { guestDomainSchema } from './domain_schema';
import { planVtpmRestart, validateGuestDevices, vtpmBackendDomid } from './guest_devices';
import { obj, str } from '../framework/values';

/** What only other listings tell: the stub domain's domid, and which domain the guest's TPM frontend is bound to. */
async function withStubdomain<T extends Record<string, unknown> | null>(meta: XenClient, values: T): Promise<T> {
  if (!values) return values;
  const name = values.name as string;
  const rt = await meta.ts.domainState(`${name}-dm`);
  (values as Record<string, unknown>).stubdomain_domid = rt ? rt.domid : null;
  const vtpm = obj(values as CtyObject, 'vtpm');
  if (vtpm) vtpm.backend_domid = await vtpmBackendDomid(meta, name);
  return values;
}

export const domainResource: ResourceType<XenClient> = {
  typeName: 'xen_domain',
  schema: guestDomainSchema,
  async modifyPlan(ctx) {
    // Only an HVM guest with device_model { stubdomain = true } has one; the stub domain changes only with a replace.
    if (ctx.planned.stubdomain_domid instanceof Unknown) {
      const type = ctx.planned.type;
      const dm = obj(ctx.planned, 'device_model');
      if (typeof type === 'string' && (type !== 'hvm' || !dm || dm.stubdomain === false)) ctx.planned.stubdomain_domid = null;
    }
    await planDomain(ctx, 'guest');
    if (!ctx.diags.hasErrors) await planVtpmRestart(ctx);
  },
  create: async (ctx) => withStubdomain(ctx.meta, await createDomain(ctx, 'guest')),
  read: async (ctx) => withStubdomain(ctx.meta, await readDomain(ctx, 'guest')),
  update: async (ctx) => withStubdomain(ctx.meta, await updateDomain(ctx, 'guest')),
  delete: (ctx) => deleteDomain(ctx, 'guest'),
  noteStored: noteStoredDomain,
  importState: async (id, ctx) => withStubdomain(ctx.meta, await importDomain(id, ctx, 'guest')),
  validate(ctx) {
    const type = str(ctx.config, 'type');
    if (str(ctx.config, 'bootloader') && str(ctx.config, 'firmware')) {
      ctx.diags.error('Both bootloader and firmware are set', 'Use one way to boot: firmware = "pvgrub64" (recommended) or a bootloader.', [{ attr: 'bootloader' }]);
    }
    if (type === 'hvm' && str(ctx.config, 'bootloader')) {
      ctx.diags.error('bootloader applies to PV guests only', 'HVM guests boot from their firmware; remove bootloader.', [{ attr: 'bootloader' }]);
    }
    validateGuestDevices(ctx);
  },
};
