// xen_pci_assignable: hide a host PCI function from dom0 (bind it to pciback) so it can be passed to a driver
// domain or guest, and give it back to its dom0 driver on destroy.

import type { CtyObject } from '../protocol/cty/types';
import { DiagnosticError } from '../framework/diagnostics';
import type { ApplyContext, BaseContext, ResourceType } from '../framework/resource';
import { isConfiguredPlan } from '../framework/resource';
import type { JournalEntry } from '../xen/journal';
import type { HostPciDevice } from '../xen/model';
import { FlaskLabelError, QuarantineDeniedError } from '../xen/errors';
import { checkBdf, checkFlaskLabel, normalizeBdf, printable } from '../xen/validate';
import type { XenClient } from './client';
import { bdf as bdfValidator } from './domain_schema';
import { attrOf, decode, schema, type Model, type Reported } from '../framework/model';
import { typedResource } from '../framework/typed';
import { stringCheck } from '../framework/validators';
import { sameBdf } from './equivalence';
import { notOurs } from './adoption';
import { deviceLabelProblems } from './labels';
import { checkClaim, claimedTwice, missingPciFunction } from './host_checks';

const PCIBACK = /^(xen-)?pciback$/;

const deviceLabel = stringCheck(
  'a FLASK device label `user:object_r:type`, e.g. `system_u:object_r:nic_dev_t`',
  checkDeviceLabel,
);

/** The dom0 driver an assignment's journal record kept (written as a string or null). */
type Driver = string | null;

const pciAssignableSchema = schema({
  block: {
    description:
      "Makes a host PCI function assignable (bound to pciback, hidden from dom0's drivers) so it can be passed through to a driver domain or guest; on destroy it is given back to its original driver. Devices without a reset method are refused unless `strict_reset = false`, because state left in the device can leak between domains.",
    attributes: {
      id: {
        type: 'string',
        computed: true,
        useStateForUnknown: true,
        description: 'Normalized address `DDDD:BB:SS.F`.',
      },
      bdf: {
        type: 'string',
        required: true,
        requiresReplace: true,
        description: 'PCI address `BB:SS.F` or `DDDD:BB:SS.F`.',
        validators: [bdfValidator],
        equivalent: sameBdf,
      },
      seclabel: {
        type: 'string',
        optional: true,
        requiresReplace: true,
        validators: [deviceLabel],
        description:
          'FLASK label of the device (`user:object_r:type`, e.g. `system_u:object_r:nic_dev_t`), set with `flask-label-pci` before the ' +
          'device is made assignable and again after (its IRQ exists only once pciback has enabled it): under an enforcing policy a domain may use only devices whose type its own type is allowed to ' +
          "(in Xen's example policy `domU_t` may use `nic_dev_t`; unlabelled devices are `device_t`, dom0's only). Xen cannot report a " +
          "device's label, so it is checked by use: passing the device to a domain fails if the label does not allow it. A label lasts " +
          'until Xen reboots or a policy is loaded, and cannot be removed, so destroying this resource leaves it.',
      },
      strict_reset: {
        type: 'bool',
        default: true,
        description: 'Refuse a device that has no reset method (FLR, bus or slot reset).',
      },
      rebind_on_destroy: {
        type: 'bool',
        default: true,
        description: 'On destroy, rebind the device to its original dom0 driver (`xl pci-assignable-remove -r`).',
      },
      vendor: {
        type: 'string',
        computed: true,
        useStateForUnknown: true,
        description: 'PCI vendor id, e.g. `0x8086`.',
      },
      device: { type: 'string', computed: true, useStateForUnknown: true, description: 'PCI device id.' },
      class: {
        type: 'string',
        computed: true,
        useStateForUnknown: true,
        description: 'PCI class code, e.g. `0x020000` (Ethernet).',
      },
      original_driver: {
        type: 'string',
        computed: true,
        useStateForUnknown: true,
        description: 'The dom0 driver that had the device before (null when none).',
      },
    },
  },
});

export type PciAssignableModel = Model<typeof pciAssignableSchema>;

export function pciAssignableModel(v: CtyObject): PciAssignableModel {
  return decode(pciAssignableSchema.block, v);
}

const model = pciAssignableModel;

export const pciAssignableResource: ResourceType<XenClient> = typedResource<XenClient, typeof pciAssignableSchema>({
  typeName: 'xen_pci_assignable',
  schema: pciAssignableSchema,

  async modifyPlan(ctx) {
    const planned = model(ctx.planned);
    const b = planned.bdf;
    if (!isConfiguredPlan(ctx) || !b) return;
    checkClaim(ctx, b, [attrOf<PciAssignableModel>('bdf')]);
    if (ctx.prior !== null || ctx.diags.hasErrors) return;
    const label = planned.seclabel;
    if (label) await deviceLabelProblems(ctx, label, [attrOf<PciAssignableModel>('seclabel')]);
    ctx.step('reading the PCI function from sysfs', [attrOf<PciAssignableModel>('bdf')]);
    const dev = await hostDevice(ctx, b);
    const journal = ctx.meta.journal;
    if (
      !journal.isHeld('pci', dev.bdf) &&
      (await isAssignable(ctx, dev.bdf)) &&
      !(await journal.find('pci', dev.bdf, dev.bdf))
    ) {
      const e = assignedElsewhere(dev.bdf);
      ctx.diags.error(e.summary, e.detail, e.path);
      return;
    }
    if (!hasReset(dev) && planned.strict_reset !== false) {
      ctx.diags.error(
        `PCI device ${dev.bdf} has no reset method`,
        'Xen cannot reset it between domains, so state (DMA buffers, firmware state) may leak from one owner to the next. ' +
          'Pass through a function with FLR or a resettable slot, or set strict_reset = false to accept the risk.',
        [attrOf<PciAssignableModel>('bdf')],
      );
    }
  },

  async create(ctx) {
    const b = ctx.model.planned.bdf!;
    if (!checkBdf(b) && !ctx.meta.ledger.take(normalizeBdf(b))) {
      const e = claimedTwice(normalizeBdf(b));
      throw new DiagnosticError(e.summary, `${e.detail} Refused before any change.`, [
        attrOf<PciAssignableModel>('bdf'),
      ]);
    }
    try {
      return await makeAssignable(ctx, b);
    } catch (err) {
      ctx.meta.ledger.release(normalizeBdf(b));
      throw err;
    }
  },
  async noteStored(known, ctx) {
    const b = known.bdf ?? known.id;
    if (b && !checkBdf(b)) await ctx.meta.journal.confirm('pci', normalizeBdf(b));
  },

  async read(ctx) {
    const state = ctx.model;
    const b = state.bdf ?? state.id;
    if (!b) return null;
    const id = normalizeBdf(b);
    if (!(await isAssignable(ctx, id))) {
      ctx.meta.ledger.release(id);
      ctx.log.info('PCI device is no longer assignable; it will be made assignable again', { bdf: id });
      return null;
    }
    const dev = (await ctx.meta.ts.hostPciDevices()).find((d) => d.bdf === id);
    if (!dev) return null;
    return values(state, dev, state.original_driver ?? null);
  },

  async update(ctx) {
    // Only strict_reset / rebind_on_destroy can change (seclabel replaces); they act at create and destroy.
    const { planned, prior } = ctx.model;
    const dev = await hostDevice(ctx, planned.bdf!);
    return values(planned, dev, prior.original_driver ?? null);
  },

  async delete(ctx) {
    const prior = ctx.model;
    const id = normalizeBdf(prior.bdf!);
    ctx.meta.ledger.release(id);
    const user = (await ctx.meta.ts.listDomains({ signal: ctx.signal })).find((d) =>
      d.pcidevs.some((p) => p.bdf === id),
    );
    const rebind = prior.rebind_on_destroy !== false;
    if (user) {
      // Removing a pci block and its xen_pci_assignable in one edit: Terraform runs this delete BEFORE the domain's
      // update that detaches the function (the domain's stored dependency on it orders the update after the destroy),
      // so waiting here could only time out. The give-back is recorded instead; the update (or destroy) of the domain
      // finishes it once the function is detached, so the apply converges whatever the order.
      const entry = await ctx.meta.journal.begin(
        'release',
        id,
        id,
        { words: [], ms: 0 },
        { rebind, domain: user.name },
      );
      await ctx.meta.journal.complete(entry);
      ctx.meta.journal.unclaim(entry);
      ctx.log.info('PCI device is still passed through: it goes back to dom0 once the domain releases it', {
        bdf: id,
        domain: user.name,
      });
      ctx.diags.warning(
        `PCI device ${id} goes back to dom0 when ${user.name} releases it`,
        `It is still passed through to ${user.name}. It is given back to dom0 as soon as ${user.name} detaches it: in this apply, if the configuration removes it from ${user.name}'s pci blocks, or when ${user.name} is destroyed. Until then it stays with ${user.name}.`,
      );
      return;
    }
    const assignable = await ctx.meta.ts.pciAssignableList({ signal: ctx.signal });
    if (!assignable.includes(id)) return;
    ctx.log.info('giving PCI device back to dom0', { bdf: id, rebind });
    await ctx.meta.ts.pciAssignableRemove(id, { signal: ctx.signal, rebind });
  },

  async importState(id, ctx) {
    const b = normalizeBdf(id);
    if (!(await isAssignable(ctx, b)))
      throw new DiagnosticError(`Cannot import ${id}`, 'The device is not assignable (see `xl pci-assignable-list`).');
    const dev = await hostDevice(ctx, b);
    return values({ bdf: id }, dev, null);
  },
});

async function hostDevice(ctx: BaseContext<XenClient>, bdf: string): Promise<HostPciDevice> {
  const id = normalizeBdf(bdf);
  const devs = await ctx.meta.ts.hostPciDevices();
  const dev = devs.find((d) => d.bdf === id);
  if (!dev) {
    const missing = missingPciFunction(bdf, devs) ?? { summary: `No PCI function ${id} on this host`, detail: '' };
    throw new DiagnosticError(missing.summary, missing.detail, [attrOf<PciAssignableModel>('bdf')]);
  }
  return dev;
}

function hasReset(dev: HostPciDevice): boolean {
  return !!dev.resetMethod && dev.resetMethod.trim() !== '';
}

/** Whether the function is held by pciback: listed as assignable, or already passed to some domain. */
async function isAssignable(ctx: BaseContext<XenClient>, id: string): Promise<boolean> {
  const ts = ctx.meta.ts;
  const [assignable, domains] = await Promise.all([
    ts.pciAssignableList({ signal: ctx.signal }),
    ts.listDomains({ signal: ctx.signal }),
  ]);
  return assignable.includes(id) || domains.some((d) => d.pcidevs.some((p) => p.bdf === id));
}

/**
 * Gives a function back to dom0 that a destroyed xen_pci_assignable left to a domain still holding it (see delete):
 * called by a domain's update or destroy once it has detached the function.
 */
export async function finishDeferredRelease(ctx: BaseContext<XenClient>, bdf: string): Promise<void> {
  const id = normalizeBdf(bdf);
  const journal = ctx.meta.journal;
  for (const e of await journal.candidates('release', id)) {
    if (!journal.tryClaim(e)) continue;
    const assignable = await ctx.meta.ts.pciAssignableList({ signal: ctx.signal });
    if (assignable.includes(id)) {
      const rebind = e.data.rebind !== false;
      ctx.log.info(
        'giving PCI device back to dom0 now that it is released (its xen_pci_assignable was destroyed earlier in this apply)',
        { bdf: id, rebind },
      );
      await ctx.meta.ts.pciAssignableRemove(id, { signal: ctx.signal, rebind });
    }
    await journal.forget(e);
  }
}

/** A function made assignable outside this resource: by hand, by xen-pciback.hide at boot, or by another resource. */
function assignedElsewhere(id: string): DiagnosticError {
  return notOurs(
    'xen_pci_assignable',
    `PCI device ${id} is already assignable`,
    id,
    `give it back to dom0 first (\`xl pci-assignable-remove -r ${id}\`) and apply again`,
    [attrOf<PciAssignableModel>('bdf')],
  );
}

/**
 * A device's FLASK label is an object's: role object_r (roles apply to domains only), e.g. system_u:object_r:nic_dev_t.
 * A domain role here (system_r) names a context the policy does not have for devices, or a domain type.
 */
export function checkDeviceLabel(v: string): string | undefined {
  const c = checkFlaskLabel(v);
  if (c) return c.replace('system_u:system_r:domU_t', 'system_u:object_r:nic_dev_t');
  const [, role, type] = v.split(':');
  if (role !== 'object_r') {
    return `"${printable(v)}" has role ${role}: a device is an object, so its label has role object_r (e.g. system_u:object_r:${type.endsWith('_dev_t') ? type : 'nic_dev_t'})`;
  }
  return undefined;
}

function recordedDriver(e: JournalEntry): Driver {
  return (e.data.originalDriver ?? null) as Driver;
}

function values(prior: PciAssignableModel, dev: HostPciDevice, originalDriver: Driver): Reported<PciAssignableModel> {
  return {
    id: dev.bdf,
    bdf: prior.bdf ?? dev.bdf,
    seclabel: prior.seclabel ?? null,
    strict_reset: prior.strict_reset ?? true,
    rebind_on_destroy: prior.rebind_on_destroy ?? true,
    vendor: dev.vendor ?? '',
    device: dev.device ?? '',
    class: dev.class ?? '',
    original_driver: originalDriver,
  };
}

/**
 * After a refused quarantine pciback still holds the device, listed as assignable though Xen never took it: give it
 * back, so the host is as it was and the next apply starts from there.
 */
async function giveBack(ctx: BaseContext<XenClient>, bdf: string, original: Driver): Promise<boolean> {
  try {
    if ((await ctx.meta.ts.pciAssignableList({ signal: ctx.signal })).includes(bdf)) {
      await ctx.meta.ts.pciAssignableRemove(bdf, { signal: ctx.signal, rebind: original !== null });
    }
    return true;
  } catch (e) {
    ctx.log.warn('could not give the device back to dom0 after the refused quarantine', {
      bdf,
      error: (e as Error).message,
    });
    return false;
  }
}

/** Labels the device (when asked) and hands it to pciback; `entry` is the journal's record of this assignment. */
async function assign(
  ctx: ApplyContext<XenClient>,
  dev: HostPciDevice,
  entry: JournalEntry,
  original: Driver,
): Promise<Reported<PciAssignableModel>> {
  const journal = ctx.meta.journal;
  // pciback already holds a device whose quarantine was refused: its entry must outlive any failure here.
  const held = entry.data.quarantineRefused === true;
  const planned = model(ctx.planned);
  const label = planned.seclabel;
  if (label) {
    // Before pciback takes it: from the moment the device is assignable a domain may be given it, and an unlabelled
    // device is device_t, which the policy lets only dom0 use.
    ctx.log.info('labelling PCI device', { bdf: dev.bdf, seclabel: label });
    try {
      await ctx.meta.ts.flaskLabelPci(dev.bdf, label, { signal: ctx.signal });
    } catch (e) {
      if (!held) await journal.forget(entry);
      if (e instanceof FlaskLabelError)
        throw new DiagnosticError(e.message, `${e.hint}${held ? '' : ' The device was not changed.'}`, [
          attrOf<PciAssignableModel>('seclabel'),
        ]);
      throw e;
    }
  }
  ctx.log.info('making PCI device assignable', { bdf: dev.bdf, driver: dev.driver ?? null });
  try {
    await ctx.meta.ts.pciAssignableAdd(dev.bdf, { signal: ctx.signal });
  } catch (e) {
    if (!(e instanceof QuarantineDeniedError)) throw e;
    if (await giveBack(ctx, dev.bdf, original)) {
      await journal.forget(entry);
      throw new DiagnosticError(
        e.message,
        `${e.hint} The device was given back to dom0${original ? ` (${original})` : ''}; nothing else changed.`,
        [attrOf<PciAssignableModel>('bdf')],
      );
    }
    // Seen on real Xen 4.17 under the enforcing example policy: taking it out of dom_io is denied too
    // ("failed to de-quarantine"), so pciback keeps it. The journal remembers it for the next apply.
    entry.data.quarantineRefused = true;
    await journal.update(entry);
    throw new DiagnosticError(
      e.message,
      `${e.hint} pciback still holds the device (\`xl pci-assignable-list\` lists it; libxl cannot give it back either, since ` +
        'the policy also refuses taking it out of dom_io). Apply again once one of the two is done: the provider adds it again.',
      [attrOf<PciAssignableModel>('bdf')],
    );
  }
  if (label) {
    // Once more, now that pciback has enabled the device: its IRQ exists only from then on (seen on the FLASK lab, a
    // driver domain was refused `use_iommu` on irq 21, still irq_t, when the device had been labelled only before).
    // The same label again is accepted for what was already labelled.
    try {
      await ctx.meta.ts.flaskLabelPci(dev.bdf, label, { signal: ctx.signal });
    } catch (e) {
      if (e instanceof FlaskLabelError)
        throw new DiagnosticError(e.message, `${e.hint} The device is assignable, but its IRQ may be unlabelled.`, [
          attrOf<PciAssignableModel>('seclabel'),
        ]);
      throw e;
    }
  }
  if (held) delete entry.data.quarantineRefused;
  await journal.complete(entry);
  return values(planned, dev, original);
}

/** Labels and binds the function to pciback, or adopts what an interrupted apply did (the create proper). */
async function makeAssignable(ctx: ApplyContext<XenClient>, b: string): Promise<Reported<PciAssignableModel>> {
  const dev = await hostDevice(ctx, b);
  const planned = model(ctx.planned);
  if (!hasReset(dev) && planned.strict_reset !== false) {
    throw new DiagnosticError(
      `PCI device ${dev.bdf} has no reset method`,
      'Refused before any change: set strict_reset = false to accept the risk.',
      [attrOf<PciAssignableModel>('bdf')],
    );
  }
  // The dom0 driver is recorded before the device is taken from it: a retry after an interruption finds the device
  // already held by pciback and could not tell any more which driver to give it back to.
  const journal = ctx.meta.journal;
  const earlier = await journal.find('pci', dev.bdf, dev.bdf);
  // An interrupted apply's entry: whether its pci-assignable-add happened is read now, not from listings read earlier
  // in this process (at plan), which may predate it.
  if (earlier) ctx.meta.ts.invalidate();
  if (await isAssignable(ctx, dev.bdf)) {
    if (!earlier || !journal.tryClaim(earlier)) throw assignedElsewhere(dev.bdf);
    // pciback kept the device after an earlier apply's quarantine was refused: label it and add it again, which
    // makes Xen try the quarantine again (once the policy or the boot options allow it).
    if (earlier.data.quarantineRefused === true) return assign(ctx, dev, earlier, recordedDriver(earlier));
    await journal.complete(earlier);
    ctx.log.info('adopting the assignment an interrupted apply made', {
      bdf: dev.bdf,
      original_driver: recordedDriver(earlier),
    });
    return values(planned, dev, recordedDriver(earlier));
  }
  const original = earlier ? recordedDriver(earlier) : dev.driver && !PCIBACK.test(dev.driver) ? dev.driver : null;
  if (earlier && !journal.tryClaim(earlier)) throw assignedElsewhere(dev.bdf);
  const entry =
    earlier ??
    (await journal.begin(
      'pci',
      dev.bdf,
      dev.bdf,
      { words: ctx.meta.ts.callWords({ op: 'pci-assignable-add', bdf: dev.bdf }), ms: ctx.meta.xlTimeoutMs },
      { originalDriver: original },
    ));
  return assign(ctx, dev, entry, original);
}
