// Which of a domain's disks are its own (its `disk` blocks) and which belong to xen_disk resources. libxl keeps a
// hot-attached disk in the domain's configuration exactly like one it was created with (`xl list -l`, and `xl reboot`
// brings it back), so the record is the xl.cfg this provider rendered at creation (xen/rendered.ts). A domain made by
// hand has no such record: its import takes every disk libxl lists, and a disk moved from its `disk` blocks to a
// xen_disk is handed over in place (the disk stays attached), where for a domain of ours it would replace it.

import { UNKNOWN, Unknown, record } from '../protocol/cty/types';
import type { CtyObject, CtyValue } from '../protocol/cty/types';
import type { BaseContext, PlanContext } from '../framework/resource';
import { isConfiguredPlan } from '../framework/resource';
import type { DomainInfo } from '../xen/model';
import { renderedCreation } from '../xen/rendered';
import type { XenClient } from './client';
import { attrOf, decode, rawElements } from '../framework/model';
import { diskBlock, guestDomainSchema, type DomainModel, type GuestDomainModel } from './domain_schema';

/** Rendered configs are a few KiB; a larger file is not one of ours. */
const MAX_RENDERED_BYTES = 256 * 1024;

/**
 * The vdevs the domain was created with, from this provider's rendered config when that config is the running
 * domain's (same uuid); undefined when there is no such record (made by hand, or a config that held a secret and was
 * removed after `xl create`).
 */
export async function creationVdevs(ctx: BaseContext<XenClient>, info: DomainInfo): Promise<Set<string> | undefined> {
  const ts = ctx.meta.ts;
  const file = `${ts.configDir.replace(/\/+$/, '')}/${info.name}.cfg`;
  // A missing file is no record; a host that cannot be read is an error, not a guess (it would decide replacements).
  const text = await ts.files.readText(file, { maxBytes: MAX_RENDERED_BYTES, signal: ctx.signal });
  const rec = text === undefined ? undefined : renderedCreation(text);
  if (!rec || !info.uuid || rec.uuid !== info.uuid.toLowerCase()) return undefined;
  return new Set(rec.vdevs);
}

/** On import: the domain as its own disks make it; the disks a xen_disk attached later are left to xen_disk. */
export async function withOwnDisks(ctx: BaseContext<XenClient>, info: DomainInfo): Promise<DomainInfo> {
  const own = await creationVdevs(ctx, info);
  return own ? { ...info, disks: info.disks.filter((d) => own.has(d.vdev)) } : info;
}

const same = (a: CtyObject, b: CtyObject) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * The `disk` blocks at plan. A disk added or changed replaces the domain (libxl takes them at creation). A disk
 * removed replaces it too, unless the domain has no creation record and still has that disk attached: then it is a
 * disk libxl cannot place (possibly hot-attached by hand, now imported as a xen_disk), handed over in place with
 * no host change. Runs before the rest of the domain plan, which looks at isReplacing().
 */
export async function planDisks(ctx: PlanContext<XenClient>): Promise<void> {
  const { prior, planned } = ctx;
  if (!prior) return;
  const replace = () => {
    ctx.requiresReplace([attrOf<DomainModel>('disk')]);
    markNewDomainUnknown(planned);
  };
  const plannedDisks = planned['disk' satisfies keyof DomainModel];
  if (
    plannedDisks instanceof Unknown ||
    (Array.isArray(plannedDisks) && plannedDisks.some((d) => d instanceof Unknown))
  )
    return replace();
  // Compared as they are (unknowns included); only the vdev is read.
  const before = rawElements(guestDomainSchema.block, prior, 'disk');
  const after = rawElements(guestDomainSchema.block, planned, 'disk');
  const vdev = (d: CtyObject) => decode(diskBlock.block, d).vdev;
  const removed = before.filter((b) => !after.some((a) => vdev(a) === vdev(b)));
  const kept = before.filter((b) => !removed.includes(b));
  const unchanged = kept.length === after.length && kept.every((b, i) => same(b, after[i]));
  if (!unchanged) return replace();
  if (removed.length === 0) return;
  const { name } = decode(guestDomainSchema.block, prior);
  if (!isConfiguredPlan(ctx) || !name) return replace();
  const info = await ctx.meta.ts.getDomain(name, { signal: ctx.signal });
  if (!info || (await creationVdevs(ctx, info))) return replace();
  const vdevs = removed.map((d) => vdev(d)!);
  if (!vdevs.every((v) => info.disks.some((d) => d.vdev === v))) return replace();
  ctx.diags.warning(
    `${vdevs.join(', ')} stay${vdevs.length === 1 ? 's' : ''} attached to ${name}`,
    `There is no record of the configuration ${name} was created with (made by hand, or by this provider from a config holding a display password, which is removed after \`xl create\`), so nothing says whether ${vdevs.join(', ')} ${vdevs.length === 1 ? 'was' : 'were'} part of it from the start or attached later ` +
      "(libxl keeps both kinds in the domain's configuration). Leaving the `disk` blocks hands " +
      (vdevs.length === 1 ? 'it' : 'them') +
      ' over in place: ' +
      'manage ' +
      (vdevs.length === 1 ? 'it' : 'them') +
      ' with a xen_disk resource (`terraform import xen_disk.NAME ' +
      `${name}/${vdevs[0]}\`), or detach with \`xl block-detach ${name} ${vdevs[0]}\`. ` +
      'The domain is not replaced for this; when it is next re-created, it is created without ' +
      (vdevs.length === 1 ? 'it' : 'them') +
      '.',
    [attrOf<DomainModel>('disk')],
  );
}

/** What a replacement's new domain reports (the framework does this for replacements it finds itself). */
function markNewDomainUnknown(planned: CtyObject): void {
  const reported = ['domid', 'uuid', 'state'] satisfies Array<keyof DomainModel>;
  for (const k of reported) if (k in planned) planned[k] = UNKNOWN;
  // A driver domain's values have neither a stub domain nor a vtpm block: the keys are looked for, not assumed.
  const m: GuestDomainModel = decode(guestDomainSchema.block, planned);
  const stubdomainDomid = 'stubdomain_domid' satisfies keyof GuestDomainModel;
  if (stubdomainDomid in planned && m.device_model?.stubdomain === true) planned[stubdomainDomid] = UNKNOWN;
  if (m.vtpm) {
    const vtpm = 'vtpm' satisfies keyof GuestDomainModel;
    planned[vtpm] = record<CtyValue>([
      ...Object.entries(planned[vtpm] as CtyObject),
      ['backend_domid' satisfies keyof NonNullable<GuestDomainModel['vtpm']>, UNKNOWN],
    ]);
  }
}
