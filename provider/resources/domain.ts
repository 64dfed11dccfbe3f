// xen_domain: a guest (PV, PVH or HVM), with its FLASK label and, for HVM, its device model in a stub domain.

import { Unknown, type CtyObject } from '../protocol/cty/types';
import type { ResourceType } from '../framework/resource';
import { intBetween } from '../framework/validators';
import type { XenClient } from './client';
import { createDomain, deleteDomain, importDomain, noteStoredDomain, planDomain, readDomain, updateDomain } from './domain_common';
import { diskBlock, domainAttributes, flaskLabel, pciBlock } from './domain_schema';
import { guestDeviceBlocks, planVtpmRestart, validateGuestDevices, vtpmBackendDomid } from './guest_devices';
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
  schema: {
    block: {
      description:
        'A guest domain. Prefer `firmware = "pvgrub64"` over a bootloader in dom0, give HVM guests a stub domain (`device_model { stubdomain = true }`), and serve its vifs and disks from driver domains (`xen_vif`, `xen_disk`).',
      attributes: {
        ...domainAttributes('guest'),
        stubdomain_domid: { type: 'number', computed: true, useStateForUnknown: true, description: 'Domain id of the stub domain `<name>-dm` running this HVM guest\'s device model; null when the device model runs in dom0.' },
      },
      blocks: {
        disk: diskBlock,
        pci: pciBlock,
        device_model: {
          nesting: 'single',
          requiresReplace: true,
          description: 'HVM only: where the device model (QEMU) runs. A stub domain keeps QEMU out of dom0.',
          block: {
            attributes: {
              stubdomain: { type: 'bool', required: true, description: 'Run the device model in a stub domain `<name>-dm` instead of dom0.' },
              seclabel: { type: 'string', optional: true, description: 'FLASK label of the stub domain (e.g. `system_u:system_r:dm_dom_t`).', validators: [flaskLabel] },
              stubdomain_memory: { type: 'number', optional: true, description: 'Memory of the stub domain in MiB.', validators: [intBetween(16, 4096)] },
            },
          },
        },
        ...guestDeviceBlocks,
      },
    },
  },
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
  delete: (ctx) => deleteDomain(ctx),
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
