// xen_domain: a guest (PV, PVH or HVM), with its FLASK label and, for HVM, its device model in a stub domain.

import type { CtyObject } from '../protocol/cty/types';
import type { ResourceType } from '../framework/resource';
import { assign, attrOf, decode, unknownAt, type Reported } from '../framework/model';
import { typedResource } from '../framework/typed';
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
import { guestDomainSchema, type GuestDomainModel } from './domain_schema';
import { planVtpmRestart, validateGuestDevices, vtpmBackendDomid } from './guest_devices';

function model(v: CtyObject): GuestDomainModel {
  return decode(guestDomainSchema.block, v);
}

/** What a re-created guest reports anew (planVtpmRestart marks them unknown). */
const REPORTED = ['domid', 'uuid', 'state', 'stubdomain_domid'] satisfies Array<keyof GuestDomainModel>;

export const domainResource: ResourceType<XenClient> = typedResource<XenClient, typeof guestDomainSchema>({
  typeName: 'xen_domain',
  schema: guestDomainSchema,
  async modifyPlan(ctx) {
    // Only an HVM guest with device_model { stubdomain = true } has one; the stub domain changes only with a replace.
    if (unknownAt(guestDomainSchema.block, ctx.planned, 'stubdomain_domid')) {
      const { type, device_model: dm } = model(ctx.planned);
      if (type !== undefined && (type !== 'hvm' || !dm || dm.stubdomain === false))
        assign(guestDomainSchema.block, ctx.planned, { stubdomain_domid: null });
    }
    await planDomain(ctx, 'guest');
    if (!ctx.diags.hasErrors) await planVtpmRestart(ctx, guestDomainSchema.block, REPORTED);
  },
  create: async (ctx) => withStubdomain(ctx.meta, await createDomain(ctx, 'guest')),
  async read(ctx) {
    const found = await readDomain(ctx, 'guest');
    return found && withStubdomain(ctx.meta, found);
  },
  update: async (ctx) => withStubdomain(ctx.meta, await updateDomain(ctx, 'guest')),
  delete: deleteDomain,
  noteStored: noteStoredDomain,
  importState: async (id, ctx) => withStubdomain(ctx.meta, await importDomain(id, ctx, 'guest')),
  validate(ctx) {
    const { config } = ctx;
    const { type } = config;
    if (config.bootloader && config.firmware) {
      ctx.diags.error(
        'Both bootloader and firmware are set',
        'Use one way to boot: firmware = "pvgrub64" (recommended) or a bootloader.',
        [attrOf<GuestDomainModel>('bootloader')],
      );
    }
    if (type === 'hvm' && config.bootloader) {
      ctx.diags.error(
        'bootloader applies to PV guests only',
        'HVM guests boot from their firmware; remove bootloader.',
        [attrOf<GuestDomainModel>('bootloader')],
      );
    }
    // An unset type is the default, pv; an unknown one is checked again at plan.
    validateGuestDevices(
      { diags: ctx.diags, config: ctx.raw },
      unknownAt(guestDomainSchema.block, ctx.raw, 'type') ? undefined : (type ?? 'pv'),
    );
  },
});

/** What only other listings tell: the stub domain's domid, and which domain the guest's TPM frontend is bound to. */
async function withStubdomain(
  meta: XenClient,
  values: Reported<GuestDomainModel>,
): Promise<Reported<GuestDomainModel>> {
  const { name, vtpm } = values;
  const rt = await meta.ts.domainState(`${name}-dm`);
  return {
    ...values,
    stubdomain_domid: rt ? rt.domid : null,
    ...(vtpm ? { vtpm: { ...vtpm, backend_domid: await vtpmBackendDomid(meta, name!) } } : {}),
  };
}
