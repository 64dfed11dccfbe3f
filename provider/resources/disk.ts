// xen_disk: a virtual block device of one domain served by another (a storage driver domain, so dom0 does not
// parse guest disk traffic). Attached with `xl block-attach`, then waited for until the backend is connected.

import type { CtyObject } from '../protocol/cty/types';
import { DiagnosticError } from '../framework/diagnostics';
import type {
  ApplyContext,
  BaseContext,
  PlanContext,
  ResourceType,
  ConfiguredPlanContext,
} from '../framework/resource';
import { isConfiguredPlan } from '../framework/resource';
import { oneOf, stringCheck } from '../framework/validators';
import type { DiskAccess, DiskBackendType, DiskFormat, DiskInfo, DiskSpec } from '../xen/model';
import { checkDiskBackendType, checkDiskFormat, checkScript, checkVdev } from '../xen/validate';
import { vdevNumber } from '../xen/vdev';
import type { XenClient } from './client';
import { deviceAttributes, hotplugStatusAttribute } from './device_schema';
import {
  adoptDevice,
  attachRecorded,
  attachWhenBackendReady,
  awaitBackend,
  endpoints,
  parseDeviceId,
  planBackendRestart,
} from './device_common';
import { notOurs } from './adoption';
import type { Endpoints } from './device_common';
import { absolutePath } from './value_checks';
import { compact, spelled } from '../framework/values';
import { attrOf, decode, schema, type Model, type Reported } from '../framework/model';
import { typedResource } from '../framework/typed';
import { sameScript } from './equivalence';

const diskSchema = schema({
  block: {
    description:
      'A virtual block device of `domain` served by `backend`, typically a storage driver domain that owns the disk controller. After attaching, waits until the backend is connected; on timeout it detaches again and explains what to check.',
    attributes: {
      ...deviceAttributes('disk'),
      target: {
        type: 'string',
        required: true,
        requiresReplace: true,
        description: 'Path of the backing file, device or volume inside the backend domain.',
        validators: [absolutePath],
      },
      vdev: {
        type: 'string',
        required: true,
        requiresReplace: true,
        description: 'Virtual device name in the guest, e.g. `xvdb`.',
        validators: [stringCheck('a virtual device such as `xvdb`', checkVdev)],
      },
      format: {
        type: 'string',
        default: 'raw',
        requiresReplace: true,
        description: '`raw`, `qcow`, `qcow2`, `vhd`, `qed` or `empty`.',
        validators: [stringCheck('a disk format', checkDiskFormat)],
      },
      access: {
        type: 'string',
        default: 'rw',
        requiresReplace: true,
        description: '`rw` or `ro`.',
        validators: [oneOf('rw', 'ro')],
      },
      backendtype: {
        type: 'string',
        optional: true,
        requiresReplace: true,
        description: '`phy`, `qdisk`, `tap` or `standalone`.',
        validators: [stringCheck('a backend type', checkDiskBackendType)],
      },
      script: {
        type: 'string',
        optional: true,
        requiresReplace: true,
        description: 'Block hotplug script run in the backend domain.',
        validators: [stringCheck('a script name or absolute path', checkScript)],
        equivalent: sameScript,
      },
      ...hotplugStatusAttribute,
    },
  },
});

export type DiskModel = Model<typeof diskSchema>;

export function diskModel(v: CtyObject): DiskModel {
  return decode(diskSchema.block, v);
}

const model = diskModel;

export const diskResource: ResourceType<XenClient> = typedResource<XenClient, typeof diskSchema>({
  typeName: 'xen_disk',
  schema: diskSchema,
  async modifyPlan(ctx) {
    await planBackendRestart(ctx, model);
    if (isConfiguredPlan(ctx) && ctx.prior === null) await planVdevInUse(ctx);
  },
  create: attach,
  async noteStored({ domain, vdev }, ctx) {
    if (domain && vdev) await ctx.meta.journal.confirm('disk', diskMark(domain, vdev));
  },
  read: (ctx) => readModel(ctx, ctx.model),
  update: async () => {
    throw new DiagnosticError(
      'xen_disk cannot change in place',
      'Every argument forces replacement; this is a provider bug.',
    );
  },
  delete: detach,
  async importState(id, ctx) {
    const [domain, vdev] = parseDeviceId(id, 'xen_disk', 'guest1/xvdb');
    const frontend = await ctx.meta.ts.getDomain(domain, { signal: ctx.signal });
    const disk = frontend?.disks.find((d) => d.vdev === vdev);
    if (!frontend || !disk)
      throw new DiagnosticError(
        `Cannot import ${id}`,
        `Domain ${domain} has no disk ${vdev} (see \`xl block-list ${domain}\`).`,
      );
    const found = await readModel(ctx, { domain, backend: disk.backendDomname ?? 'Domain-0', vdev });
    if (!found) throw new DiagnosticError(`Cannot import ${id}`, 'Its backend is not present; re-attach it first.');
    return found;
  },
});

function diskSpec(m: DiskModel, backend: string): DiskSpec {
  return compact({
    target: m.target!,
    vdev: m.vdev!,
    backend,
    format: m.format as DiskFormat | undefined,
    access: m.access as DiskAccess | undefined,
    backendtype: m.backendtype as DiskBackendType | undefined,
    script: m.script,
  });
}

function diskValues(
  prior: DiskModel,
  ends: Endpoints,
  disk: DiskInfo,
  devid: number,
  state: string,
  hotplug: string,
  backendDomid = ends.backend.domid,
): Reported<DiskModel> {
  return {
    id: `${ends.frontend.name}/${disk.vdev}`,
    domain: prior.domain ?? ends.frontend.name,
    backend: prior.backend ?? ends.backend.name,
    target: disk.target ?? prior.target ?? null,
    vdev: disk.vdev,
    format: disk.format ?? 'raw',
    access: disk.access,
    // libxl fills in a backend type the user did not ask for; report it only when the user chose one.
    backendtype: prior.backendtype !== undefined ? (disk.backendtype ?? null) : null,
    script: spelled(prior.script, disk.script, sameScript),
    devid,
    backend_domid: backendDomid,
    state: state === '' ? null : Number(state),
    hotplug_status: hotplug,
  };
}

/** A disk is known by its frontend and vdev (one disk per vdev): the journal's key and mark for it. */
function diskMark(domain: string, vdev: string): string {
  return `${domain}/${vdev}`;
}

/** The configuration a disk was attached with, kept in its record so an adopted disk is checked against the plan. */
function diskSettings(spec: DiskSpec): string {
  return JSON.stringify([
    spec.backend,
    spec.target,
    spec.format ?? 'raw',
    spec.access ?? 'rw',
    spec.backendtype ?? null,
    spec.script ?? null,
  ]);
}

function alreadyThere(domain: string, vdev: string): DiagnosticError {
  return notOurs(
    'xen_disk',
    `A disk ${vdev} on ${domain}`,
    diskMark(domain, vdev),
    `choose another vdev, or detach it with \`xl block-detach ${domain} ${vdev}\``,
    [attrOf<DiskModel>('vdev')],
  );
}

async function attach(ctx: ApplyContext<XenClient> & { model: { planned: DiskModel } }): Promise<Reported<DiskModel>> {
  const ts = ctx.meta.ts;
  const { planned } = ctx.model;
  const ends = await endpoints(ctx, planned, 'disk');
  const spec = diskSpec(planned, ends.backend.name);
  const domain = ends.frontend.name;
  const mark = diskMark(domain, spec.vdev);
  const adopted = await adoptDevice(ctx, {
    kind: 'vbd',
    journalKind: 'disk',
    ends,
    key: mark,
    locate: (e) => {
      const d = ends.frontend.disks.find((x) => x.vdev === spec.vdev);
      if (!d) return undefined;
      const devid = vdevNumber(spec.vdev);
      // Ours but attached with other settings: reported as served by no one, so adoptDevice detaches it for a fresh attach.
      return devid === undefined
        ? undefined
        : { devid, backendDomid: e.data.settings === diskSettings(spec) ? d.backendDomid : -1 };
    },
    detach: () => ts.blockDetach(domain, spec.vdev, { signal: ctx.signal }),
  });
  let devid: number;
  if (adopted) {
    devid = adopted.devid;
  } else {
    if (ends.frontend.disks.some((d) => d.vdev === spec.vdev)) throw alreadyThere(domain, spec.vdev);
    const entry = await ctx.meta.journal.begin(
      'disk',
      mark,
      mark,
      { words: ts.callWords({ op: 'block-attach', domain }), ms: ctx.meta.xlTimeoutMs },
      { settings: diskSettings(spec) },
    );
    ctx.log.info('attaching disk', { domain, backend: ends.backend.name, vdev: spec.vdev });
    const present = async () => {
      ts.invalidate();
      return (await ts.getDomain(domain, { signal: ctx.signal }))?.disks.some((d) => d.vdev === spec.vdev) ?? false;
    };
    devid = await attachRecorded(
      ctx,
      entry,
      () => attachWhenBackendReady(ctx, ends, 'disk', () => ts.blockAttach(domain, spec, { signal: ctx.signal })),
      present,
    );
    await awaitBackend(ctx, 'vbd', ends, devid, async () => {
      await ts.blockDetach(domain, spec.vdev, { signal: ctx.signal });
      await ctx.meta.journal.forget(entry);
    });
  }
  ts.invalidate();
  const fresh = await ts.getDomain(ends.frontend.name, { signal: ctx.signal });
  const disk = fresh?.disks.find((d) => d.vdev === spec.vdev);
  if (!fresh || !disk)
    throw new DiagnosticError(
      `Disk ${spec.vdev} of ${ends.frontend.name} is not in libxl's configuration after attach`,
      `Check \`xl block-list ${ends.frontend.name}\`.`,
    );
  return diskValues(planned, { frontend: fresh, backend: ends.backend }, disk, devid, '4', 'connected');
}

async function readModel(ctx: BaseContext<XenClient>, known: DiskModel): Promise<Reported<DiskModel> | null> {
  const { domain, vdev } = known;
  if (!domain || !vdev) return null;
  const ts = ctx.meta.ts;
  const [frontend, backend] = await Promise.all([
    ts.getDomain(domain, { signal: ctx.signal }),
    ts.getDomain(known.backend ?? '', { signal: ctx.signal }),
  ]);
  const disk = frontend?.disks.find((d) => d.vdev === vdev);
  const devid = known.devid ?? vdevNumber(vdev);
  if (!frontend || !disk || devid === undefined) return null;
  // As for vifs: a serving domain that restarted is reported as a dead binding so the plan replaces the disk.
  const staleDomid = disk.backendDomid ?? known.backend_domid ?? -1;
  if (!backend || (disk.backendDomid !== undefined && disk.backendDomid !== backend.domid)) {
    return diskValues(known, { frontend, backend: backend ?? frontend }, disk, devid, '', '', staleDomid);
  }
  const view = await ctx.meta.ts.backendView('vbd', backend.domid, frontend.domid, devid, { signal: ctx.signal });
  if (!view.present) {
    ctx.log.info('disk has no backend in its serving domain any more', { domain, vdev, backend: backend.name });
    return diskValues(known, { frontend, backend }, disk, devid, '', '', staleDomid);
  }
  return diskValues(known, { frontend, backend }, disk, devid, view.state, view.hotplugStatus);
}

async function detach(ctx: BaseContext<XenClient> & { model: DiskModel }): Promise<void> {
  const prior = ctx.model;
  const domain = prior.domain!;
  const vdev = prior.vdev!;
  const frontend = await ctx.meta.ts.getDomain(domain, { signal: ctx.signal });
  if (!frontend || !frontend.disks.some((d) => d.vdev === vdev)) {
    ctx.log.info('disk already gone', { domain, vdev });
    return;
  }
  ctx.log.info('detaching disk', { domain, vdev });
  await ctx.meta.ts.blockDetach(domain, vdev, { signal: ctx.signal });
}

/** At plan: a vdev the domain already has is refused unless it is our unfinished attach. */
async function planVdevInUse(ctx: ConfiguredPlanContext<XenClient>): Promise<void> {
  const { domain, vdev } = model(ctx.planned);
  if (!domain || !vdev) return;
  ctx.step(`checking whether ${domain} already has a disk ${vdev}`, [attrOf<DiskModel>('vdev')]);
  const frontend = await ctx.meta.ts.getDomain(domain, { signal: ctx.signal });
  if (!frontend?.disks.some((d) => d.vdev === vdev)) return;
  const mark = diskMark(domain, vdev);
  // The new half of a replacement is planned as a create while the old disk is still attached: not in the way.
  if (ctx.meta.journal.isHeld('disk', mark) || (await ctx.meta.journal.find('disk', mark, mark))) return;
  const e = alreadyThere(domain, vdev);
  ctx.diags.error(e.summary, e.detail, e.path);
}
