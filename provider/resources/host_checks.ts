// Plan-time checks of a planned object against the host it goes on, for what is knowable at plan: memory against
// what the host has free once everything else planned in this run is counted, vCPUs against the physical CPUs, PCI
// addresses against the host's functions, backend domains running or planned here, one BDF claimed by one
// xen_pci_assignable. A value unknown at plan is never an error: the check runs again when Terraform re-plans the
// object before applying it, with the value known.
//
// What "planned in this run" means: Terraform plans every resource of a configuration through one provider process
// (and re-plans each in another one, just before applying it), so this process's ledger sees the whole plan. A
// domain leaves the ledger when its apply starts: from then on its memory is in the host's own free_memory figure.

import { Unknown, type CtyObject } from '../protocol/cty/types';
import type { Diagnostics, Path } from '../framework/diagnostics';
import type { PlanContext } from '../framework/resource';
import type { HostFileKind, HostPciDevice } from '../xen/model';
import { checkBdf, normalizeBdf } from '../xen/validate';
import type { XenClient } from './client';
import { NEW } from './ledger';
import { bool, num, obj, objects, str } from '../framework/values';

/** libxl's default stub domain memory (Linux stub domain, Xen 4.17). */
const STUBDOM_DEFAULT_MIB = 128;

/** The MiB a domain occupies on the host: its memory and, for an HVM guest with a stub domain, the stub domain's. */
function footprint(v: CtyObject): number | undefined {
  if (v.memory instanceof Unknown) return undefined;
  const memory = num(v, 'memory');
  if (memory === undefined) return undefined;
  const dm = obj(v, 'device_model');
  if (str(v, 'type') === 'hvm' && dm && bool(dm, 'stubdomain') === true) {
    if (dm.stubdomain_memory instanceof Unknown) return undefined;
    return memory + (num(dm, 'stubdomain_memory') ?? STUBDOM_DEFAULT_MIB);
  }
  return memory;
}

/** Memory and vCPUs of a planned domain against the host's capacity and what the rest of this plan adds. */
export async function checkCapacity(ctx: PlanContext<XenClient>, name: string): Promise<void> {
  const { planned, prior } = ctx;
  const ledger = ctx.meta.ledger;
  const want = footprint(planned);
  const replacing = ctx.isReplacing();
  // On a replace the old domain goes first (Terraform destroys before it creates): only the difference is new.
  const had = prior ? (footprint(prior) ?? 0) : 0;
  const adds = want === undefined ? undefined : want - had;
  ledger.planDomain(name, adds);
  const info = await ctx.meta.ts.hostInfo({ signal: ctx.signal });
  if (want !== undefined && want > info.totalMemory) {
    ctx.diags.error(
      'More memory than the host has',
      `${name} needs ${want} MiB${want !== num(planned, 'memory') ? ' (with its stub domain)' : ''}, and the host has ${info.totalMemory} MiB in all (xl info total_memory). Lower memory.`,
      [{ attr: 'memory' }],
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
        [{ attr: 'memory' }],
      );
    }
  }

  const vcpus = planned.vcpus;
  if (typeof vcpus === 'number' && vcpus > info.nrCpus) {
    const inPlace = prior !== null && !replacing && num(prior, 'vcpus') !== vcpus;
    const detail =
      `vcpus = ${vcpus} is more than the ${info.nrCpus} physical CPUs of the host (xl info nr_cpus)` +
      (inPlace ? ': `xl vcpu-set` refuses to overcommit a running domain this way. Lower vcpus.' : ': every vCPU beyond them only time-shares a CPU another already uses. Lower vcpus.');
    if (inPlace) ctx.diags.error('More vCPUs than the host has CPUs', detail, [{ attr: 'vcpus' }]);
    else ctx.diags.warning('More vCPUs than the host has CPUs', detail, [{ attr: 'vcpus' }]);
  }
}

function describeHostPci(devs: HostPciDevice[]): string {
  return devs.map((d) => `  ${d.bdf}${d.class ? ` (class ${d.class}${d.driver ? `, driver ${d.driver}` : ''})` : ''}`).join('\n');
}

/**
 * Why a PCI address names no function of the host, undefined when it names one. The address is written back the way
 * sysfs and `lspci -D` write it (0000:00:06.0), never libxl's short form.
 */
export function missingPciFunction(bdf: string, devs: HostPciDevice[]): { summary: string; detail: string } | undefined {
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
export async function checkPciBlocks(ctx: PlanContext<XenClient>): Promise<void> {
  const blocks = objects(ctx.planned, 'pci');
  if (!blocks.some((p) => typeof p.bdf === 'string')) return;
  const devs = await ctx.meta.ts.hostPciDevices();
  blocks.forEach((p, i) => {
    const missing = typeof p.bdf === 'string' ? missingPciFunction(p.bdf, devs) : undefined;
    if (missing) ctx.diags.error(missing.summary, missing.detail, [{ attr: 'pci' }, { index: i }, { attr: 'bdf' }]);
  });
}

/** A backend domain must run on the host or be planned in this configuration. */
export async function checkBackend(ctx: PlanContext<XenClient>, backend: unknown, path: Parameters<Diagnostics['error']>[2], what: string): Promise<void> {
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
export async function checkDiskBackends(ctx: PlanContext<XenClient>): Promise<void> {
  const disks = objects(ctx.planned, 'disk');
  for (const [i, d] of disks.entries()) await checkBackend(ctx, d.backend, [{ attr: 'disk' }, { index: i }, { attr: 'backend' }], 'disk');
}

export function claimedTwice(id: string): { summary: string; detail: string } {
  return {
    summary: `PCI function ${id} is claimed twice`,
    detail:
      `Another xen_pci_assignable of this configuration already has bdf ${id}. One function can be made assignable by one resource only: remove one of them, and refer to the other (xen_pci_assignable.NAME.bdf) wherever the function is passed through.`,
  };
}

/**
 * Two xen_pci_assignable of one configuration for one function. Terraform does not say which resource a plan is for,
 * and one process may plan a resource more than once (a plan, then the final plan before apply, perhaps after an
 * edit), so claimants are told apart only as "in a state" or "new": a new resource for a function one in a state
 * already has is refused at plan; of two new ones, the second create is refused at apply (PlanLedger.take), before
 * any change.
 */
export function checkClaim(ctx: PlanContext<XenClient>, bdf: string): void {
  if (checkBdf(bdf)) return;
  const id = normalizeBdf(bdf);
  const identity = ctx.prior ? 'state' : NEW;
  if (ctx.meta.ledger.claim(id, identity) > 1) {
    const e = claimedTwice(id);
    ctx.diags.error(e.summary, e.detail, [{ attr: 'bdf' }]);
  }
}

const KIND_WORDS: Record<string, string> = {
  directory: 'a directory', block: 'a block device', char: 'a character device', fifo: 'a FIFO (named pipe)', socket: 'a socket', regular: 'a regular file',
};

/**
 * Files the planned domain names on the host: kernel, ramdisk and a firmware path must be regular files; a disk that
 * dom0 serves must have an existing regular file or block device as its target (a driver domain's disks are in that
 * domain's own filesystem, out of sight). Unknown values and files the host cannot tell about are left alone.
 */
export async function checkHostFiles(ctx: PlanContext<XenClient>): Promise<void> {
  const { planned } = ctx;
  const ts = ctx.meta.ts;
  const wants: { file: string; path: Path; what: string; ok: HostFileKind[] }[] = [];
  // With a bootloader (pygrub), kernel and ramdisk are paths inside the guest's disk.
  if (str(planned, 'bootloader') === undefined) {
    for (const attr of ['kernel', 'ramdisk'] as const) {
      const f = str(planned, attr);
      if (f?.startsWith('/')) wants.push({ file: f, path: [{ attr }], what: attr, ok: ['regular'] });
    }
  }
  const fw = str(planned, 'firmware');
  if (fw?.startsWith('/')) wants.push({ file: fw, path: [{ attr: 'firmware' }], what: 'firmware', ok: ['regular'] });
  if (ts.modelsAllFiles) {
    objects(planned, 'disk').forEach((d, i) => {
      const target = str(d, 'target');
      const backend = d.backend;
      const inDom0 = backend === null || backend === undefined || backend === 'Domain-0';
      if (inDom0 && target?.startsWith('/') && str(d, 'script') === undefined) {
        wants.push({ file: target, path: [{ attr: 'disk' }, { index: i }, { attr: 'target' }], what: 'disk target', ok: ['regular', 'block'] });
      }
    });
  }
  if (wants.length === 0) return;
  const kinds = await ts.hostFileKinds([...new Set(wants.map((w) => w.file))], { signal: ctx.signal, timeoutMs: ctx.meta.xlTimeoutMs });
  for (const w of wants) {
    const kind = kinds.get(w.file) ?? 'unknown';
    if (kind === 'unknown' || w.ok.includes(kind)) continue;
    const should = w.ok.map((k) => KIND_WORDS[k]).join(' or ');
    if (kind === 'missing') {
      ctx.diags.error(`The ${w.what} file does not exist on the host`, `${w.file} does not exist on ${ts.where}: the ${w.what} must be ${should} there. Check the path (\`ls -l ${w.file}\` in dom0).`, w.path);
    } else {
      ctx.diags.error(`The ${w.what} is not ${should}`, `${w.file} is ${KIND_WORDS[kind] ?? kind} on ${ts.where}; the ${w.what} must be ${should}.`, w.path);
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
