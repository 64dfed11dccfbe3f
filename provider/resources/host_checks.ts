// Plan-time checks of a planned object against the host it goes on, for what is knowable at plan: memory against
// what the host has free once everything else planned in this run is counted, vCPUs against the physical CPUs, PCI
// addresses against the host's functions, backend domains running or planned here, one BDF claimed by one
// xen_pci_assignable. A value unknown at plan is never an error: the check runs again when Terraform re-plans the
// object before applying it, with the value known.
//
// What "planned in this run" means: Terraform plans every resource of a configuration through one provider process
// (and re-plans each in another one, just before applying it), so this process's ledger sees the whole plan. A
// domain leaves the ledger when its apply starts: from then on its memory is in the host's own free_memory figure.

import type { CtyObject } from '../protocol/cty/types';
import type { Diagnostics, Path } from '../framework/diagnostics';
import type { PlanContext, ConfiguredPlanContext } from '../framework/resource';
import type { HostFileKind, HostPciDevice } from '../xen/model';
import { checkBdf, normalizeBdf } from '../xen/validate';
import type { XenClient } from './client';
import { NEW } from './ledger';
import { attrOf, rawElements, unknownAt } from '../framework/model';
import {
  diskBlock,
  guestDomainSchema,
  type DiskBlockModel,
  type DomainModel,
  type PciBlockModel,
} from './domain_schema';

/** libxl's default stub domain memory (Linux stub domain, Xen 4.17). */
const STUBDOM_DEFAULT_MIB = 128;

/**
 * The MiB a domain occupies on the host: its memory and, for an HVM guest with a stub domain, the stub domain's.
 * `raw` is the same values undecoded: an unknown stub domain memory is not yet counted, an unset one is libxl's default.
 */
function footprint(m: DomainModel, raw: CtyObject): number | undefined {
  const memory = m.memory;
  if (memory === undefined) return undefined;
  const dm = m.device_model;
  if (m.type === 'hvm' && dm && dm.stubdomain === true) {
    const rawDm = raw['device_model' satisfies keyof DomainModel] as CtyObject;
    if (unknownAt(guestDomainSchema.block.blocks.device_model.block, rawDm, 'stubdomain_memory')) return undefined;
    return memory + (dm.stubdomain_memory ?? STUBDOM_DEFAULT_MIB);
  }
  return memory;
}

/**
 * Memory and vCPUs of a planned domain against the host's capacity and what the rest of this plan adds. `m` and
 * `priorModel` are ctx.planned and ctx.prior decoded.
 */
export async function checkCapacity(
  ctx: ConfiguredPlanContext<XenClient>,
  name: string,
  m: DomainModel,
  priorModel: DomainModel | null,
): Promise<void> {
  const { planned, prior } = ctx;
  const ledger = ctx.meta.ledger;
  const want = footprint(m, planned);
  const replacing = ctx.isReplacing();
  // On a replace the old domain goes first (Terraform destroys before it creates): only the difference is new.
  const had = prior && priorModel ? (footprint(priorModel, prior) ?? 0) : 0;
  const adds = want === undefined ? undefined : want - had;
  ledger.planDomain(name, adds);
  const info = await ctx.meta.ts.hostInfo({ signal: ctx.signal });
  if (want !== undefined && want > info.totalMemory) {
    ctx.diags.error(
      'More memory than the host has',
      `${name} needs ${want} MiB${want !== m.memory ? ' (with its stub domain)' : ''}, and the host has ${info.totalMemory} MiB in all (xl info total_memory). Lower memory.`,
      [attrOf<DomainModel>('memory')],
    );
  } else if (adds !== undefined && adds > 0) {
    const others = ledger.addedByOthers(name);
    if (adds + others > info.freeMemory) {
      const balloons = dom0MayBalloon(info.raw?.xen_commandline);
      const report = balloons ? ctx.diags.warning.bind(ctx.diags) : ctx.diags.error.bind(ctx.diags);
      report(
        'Not enough free memory on the host for this plan',
        `${name} adds ${adds} MiB${others > 0 ? ` and the other domains of this plan add ${others} MiB` : ''}, but the host has ${info.freeMemory} MiB free ` +
          `(xl info free_memory, of ${info.totalMemory} MiB; the running domains hold the rest). ` +
          `Lower memory here or elsewhere in the plan, or free memory on the host (\`xl list\` shows what each domain holds) before applying. ` +
          'Domains this same plan destroys are not counted as freeing theirs: destroy them in an apply of their own first.' +
          (balloons
            ? ' Only a warning: Xen was booted without dom0_mem=, so xl may balloon dom0 down to make room (autoballoon).'
            : ''),
        [attrOf<DomainModel>('memory')],
      );
    }
  }

  const vcpus = m.vcpus;
  if (vcpus !== undefined && vcpus > info.nrCpus) {
    const inPlace = priorModel !== null && !replacing && priorModel.vcpus !== vcpus;
    const detail =
      `vcpus = ${vcpus} is more than the ${info.nrCpus} physical CPUs of the host (xl info nr_cpus)` +
      (inPlace
        ? ': `xl vcpu-set` refuses to overcommit a running domain this way. Lower vcpus.'
        : ': every vCPU beyond them only time-shares a CPU another already uses. Lower vcpus.');
    if (inPlace) ctx.diags.error('More vCPUs than the host has CPUs', detail, [attrOf<DomainModel>('vcpus')]);
    else ctx.diags.warning('More vCPUs than the host has CPUs', detail, [attrOf<DomainModel>('vcpus')]);
  }
}

function describeHostPci(devs: HostPciDevice[]): string {
  return devs
    .map((d) => `  ${d.bdf}${d.class ? ` (class ${d.class}${d.driver ? `, driver ${d.driver}` : ''})` : ''}`)
    .join('\n');
}

/**
 * Why a PCI address names no function of the host, undefined when it names one. The address is written back the way
 * sysfs and `lspci -D` write it (0000:00:06.0), never libxl's short form.
 */
export function missingPciFunction(
  bdf: string,
  devs: HostPciDevice[],
): { summary: string; detail: string } | undefined {
  if (checkBdf(bdf)) return undefined;
  const id = normalizeBdf(bdf);
  if (devs.some((d) => d.bdf === id)) return undefined;
  return {
    summary: `No PCI function ${id} on this host`,
    detail:
      `${JSON.stringify(bdf)} is ${id}, which the host does not have. Its PCI functions (sysfs /sys/bus/pci/devices; the data source xen_pci_devices lists them with their drivers):\n` +
      describeHostPci(devs),
  };
}

/** Each pci block of a planned domain names a function the host has. */
export async function checkPciBlocks(ctx: ConfiguredPlanContext<XenClient>, m: DomainModel): Promise<void> {
  const blocks = m.pci ?? [];
  if (!blocks.some((p) => p.bdf !== undefined)) return;
  const devs = await ctx.meta.ts.hostPciDevices();
  blocks.forEach((p, i) => {
    const missing = p.bdf !== undefined ? missingPciFunction(p.bdf, devs) : undefined;
    if (missing)
      ctx.diags.error(missing.summary, missing.detail, [
        attrOf<DomainModel>('pci'),
        { index: i },
        attrOf<PciBlockModel>('bdf'),
      ]);
  });
}

/** A backend domain must run on the host or be planned in this configuration. */
export async function checkBackend(
  ctx: ConfiguredPlanContext<XenClient>,
  backend: unknown,
  path: Parameters<Diagnostics['error']>[2],
  what: string,
): Promise<void> {
  if (typeof backend !== 'string') return;
  if (ctx.meta.ledger.isPlanned(backend)) return;
  if (await ctx.meta.ts.getDomain(backend, { signal: ctx.signal })) return;
  ctx.diags.error(
    `Backend domain ${JSON.stringify(backend)} does not exist`,
    `No domain named ${JSON.stringify(backend)} runs on the host (\`xl list\`), and none is planned in this configuration, so nothing would serve this ${what}. ` +
      'Name a running domain (Domain-0, or a driver domain), or refer to the driver domain of this configuration by its attribute (e.g. xen_driver_domain.net.name) so that Terraform plans it first.',
    path,
  );
}

/** Each disk block's backend. */
export async function checkDiskBackends(ctx: ConfiguredPlanContext<XenClient>, m: DomainModel): Promise<void> {
  const disks = m.disk ?? [];
  for (const [i, d] of disks.entries())
    await checkBackend(
      ctx,
      d.backend,
      [attrOf<DomainModel>('disk'), { index: i }, attrOf<DiskBlockModel>('backend')],
      'disk',
    );
}

export function claimedTwice(id: string): { summary: string; detail: string } {
  return {
    summary: `PCI function ${id} is claimed twice`,
    detail: `Another xen_pci_assignable of this configuration already has bdf ${id}. One function can be made assignable by one resource only: remove one of them, and refer to the other (xen_pci_assignable.NAME.bdf) wherever the function is passed through.`,
  };
}

/**
 * Two xen_pci_assignable of one configuration for one function. Terraform does not say which resource a plan is for,
 * and one process may plan a resource more than once (a plan, then the final plan before apply, perhaps after an
 * edit), so claimants are told apart only as "in a state" or "new": a new resource for a function one in a state
 * already has is refused at plan; of two new ones, the second create is refused at apply (PlanLedger.take), before
 * any change.
 */
export function checkClaim(ctx: ConfiguredPlanContext<XenClient>, bdf: string, path: Path): void {
  if (checkBdf(bdf)) return;
  const id = normalizeBdf(bdf);
  const identity = ctx.prior ? 'state' : NEW;
  if (ctx.meta.ledger.claim(id, identity) > 1) {
    const e = claimedTwice(id);
    ctx.diags.error(e.summary, e.detail, path);
  }
}

const KIND_WORDS: Record<string, string> = {
  directory: 'a directory',
  block: 'a block device',
  char: 'a character device',
  fifo: 'a FIFO (named pipe)',
  socket: 'a socket',
  regular: 'a regular file',
};

/**
 * Files the planned domain names on the host: kernel, ramdisk and a firmware path must be regular files; a disk that
 * dom0 serves must have an existing regular file or block device as its target (a driver domain's disks are in that
 * domain's own filesystem, out of sight). Unknown values and files the host cannot tell about are left alone.
 */
export async function checkHostFiles(ctx: ConfiguredPlanContext<XenClient>, m: DomainModel): Promise<void> {
  const ts = ctx.meta.ts;
  const wants: { file: string; path: Path; what: string; ok: HostFileKind[] }[] = [];
  // With a bootloader (pygrub), kernel and ramdisk are paths inside the guest's disk.
  if (m.bootloader === undefined) {
    for (const attr of ['kernel', 'ramdisk'] as const satisfies ReadonlyArray<keyof DomainModel>) {
      const f = m[attr];
      if (f?.startsWith('/')) wants.push({ file: f, path: [attrOf<DomainModel>(attr)], what: attr, ok: ['regular'] });
    }
  }
  const fw = m.firmware;
  if (fw?.startsWith('/'))
    wants.push({ file: fw, path: [attrOf<DomainModel>('firmware')], what: 'firmware', ok: ['regular'] });
  if (ts.modelsAllFiles) {
    // A backend not known yet may be a driver domain: its disks are out of sight.
    const raw = rawElements(guestDomainSchema.block, ctx.planned, 'disk');
    (m.disk ?? []).forEach((d: DiskBlockModel, i) => {
      const inDom0 =
        !unknownAt(diskBlock.block, raw[i], 'backend') && (d.backend === undefined || d.backend === 'Domain-0');
      if (inDom0 && d.target?.startsWith('/') && d.script === undefined) {
        wants.push({
          file: d.target,
          path: [attrOf<DomainModel>('disk'), { index: i }, attrOf<DiskBlockModel>('target')],
          what: 'disk target',
          ok: ['regular', 'block'],
        });
      }
    });
  }
  if (wants.length === 0) return;
  const kinds = await ts.hostFileKinds([...new Set(wants.map((w) => w.file))], {
    signal: ctx.signal,
    timeoutMs: ctx.meta.xlTimeoutMs,
  });
  for (const w of wants) {
    const kind = kinds.get(w.file) ?? 'unknown';
    if (kind === 'unknown' || w.ok.includes(kind)) continue;
    const should = w.ok.map((k) => KIND_WORDS[k]).join(' or ');
    if (kind === 'missing') {
      ctx.diags.error(
        `The ${w.what} file does not exist on the host`,
        `${w.file} does not exist on ${ts.where}: the ${w.what} must be ${should} there. Check the path (\`ls -l ${w.file}\` in dom0).`,
        w.path,
      );
    } else {
      ctx.diags.error(
        `The ${w.what} is not ${should}`,
        `${w.file} is ${KIND_WORDS[kind] ?? kind} on ${ts.where}; the ${w.what} must be ${should}.`,
        w.path,
      );
    }
  }
}

/**
 * Without a fixed dom0_mem, dom0 starts with (nearly) all memory and xl's default autoballoon ("auto") shrinks it to
 * make room for a new domain, so free_memory understates what a create can get.
 */
export function dom0MayBalloon(commandline: string | undefined): boolean {
  return commandline !== undefined && !/(^|\s)dom0_mem=/.test(commandline);
}
