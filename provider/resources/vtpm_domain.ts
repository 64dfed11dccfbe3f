// What xen_vtpm_manager and xen_vtpm share: each is a mini-os stub domain of Xen's vTPM subsystem (xen-vtpm(7),
// xen-vtpmmgr(7)) started from its own xl config: a kernel image from `make install-stubdom`, a few MiB of memory,
// and one raw disk `hda` holding its sealed state. Nothing inside them is configurable later, so every setting
// replaces the domain; autostart is the only in-place change.

import { containsUnknown } from '../protocol/cty/values';
import type { CtyObject } from '../protocol/cty/types';
import { DiagnosticError } from '../framework/diagnostics';
import type { ApplyContext, BaseContext, PlanContext } from '../framework/resource';
import { isConfiguredPlan } from '../framework/resource';
import { attributes, type BlockModel, type Reported } from '../framework/model';
import type { ModelResource } from '../framework/typed';
import { intBetween } from '../framework/validators';
import type { DomainInfo, DomainRuntime, DomainSpec } from '../xen/model';
import type { XenClient } from './client';
import { runtimeState } from './domain_common';
import { absolutePath, domainName, flaskLabel } from './domain_schema';
import { labelProblems, seclabelOnly } from './labels';
import { compact, spelled } from '../framework/values';

/** Where `make install-stubdom` puts the images (XENFIRMWAREDIR of an upstream build). */
export const STUBDOM_DIR = '/usr/lib/xen/boot';

export function stubDomainAttributes(what: string, image: string, storageHint: string) {
  return attributes({
    id: {
      type: 'string',
      computed: true,
      useStateForUnknown: true,
      description: `The ${what}'s domain name (ids are names, never domids).`,
    },
    name: {
      type: 'string',
      required: true,
      requiresReplace: true,
      description: `Domain name of the ${what}.`,
      validators: [domainName],
    },
    kernel: {
      type: 'string',
      default: `${STUBDOM_DIR}/${image}`,
      requiresReplace: true,
      description: `The mini-os image in dom0. Debian and Ubuntu ship none: build it from Xen's source (\`make -C stubdom ${image.replace(/-stubdom\.gz$/, '')}-stubdom install-${image.replace(/-stubdom\.gz$/, '')}\`, which installs \`${STUBDOM_DIR}/${image}\` for an upstream build; see the guide "Virtual TPMs for guests"); set this where your build put it.`,
      validators: [absolutePath],
    },
    memory: {
      type: 'number',
      default: 16,
      requiresReplace: true,
      description: 'Memory in MiB (mini-os needs little: xen-vtpm(7) uses 8 MiB, 16 MiB leaves room).',
      validators: [intBetween(16, 1024)],
    },
    storage: {
      type: 'string',
      required: true,
      requiresReplace: true,
      description: `${storageHint} Presented to the domain as \`hda\`; no filesystem needed. Create it once with e.g. \`dd if=/dev/zero of=PATH bs=2M count=1\`; a new, empty image means new keys.`,
      validators: [absolutePath],
    },
    storage_backend: {
      type: 'string',
      default: 'Domain-0',
      requiresReplace: true,
      description: 'The domain serving `storage`: dom0, or a storage driver domain.',
      validators: [domainName],
    },
    seclabel: {
      type: 'string',
      optional: true,
      requiresReplace: true,
      description: `FLASK label of the ${what}. Xen 4.17's example policy has no vTPM types: add a policy module defining them (vtpm-platforms.txt uses \`vtpmmgr_t\` for the manager and \`vtpm_t\` for vTPMs) so that the manager maps grants only from vTPM domains.`,
      validators: [flaskLabel],
    },
    autostart: {
      type: 'bool',
      default: false,
      description:
        "Start it when the host boots: links its rendered config into xendomains' auto directory (`/etc/xen/auto`). Changed in place.",
    },
    domid: {
      type: 'number',
      computed: true,
      useStateForUnknown: true,
      description: 'Current domain id (changes on every re-create; never use it as a reference).',
    },
    state: {
      type: 'string',
      computed: true,
      useStateForUnknown: true,
      description: '`running`, `paused`, `shutdown`, `crashed` or `dying`, from `xl list`.',
    },
  });
}

/** What the helpers below read of either stub domain resource's model. */
export type StubModel = BlockModel<{ attributes: ReturnType<typeof stubDomainAttributes> }>;

/** The xl config of a vTPM-subsystem stub domain: PV, one vCPU, its image, its state disk `hda`. */
export function stubSpec(m: StubModel, extra: Pick<DomainSpec, 'cmdline' | 'iomem' | 'vtpms'>): DomainSpec {
  return compact({
    name: m.name!,
    type: 'pv' as const,
    memory: m.memory ?? 16,
    vcpus: 1,
    kernel: m.kernel,
    seclabel: m.seclabel,
    disks: [
      {
        target: m.storage!,
        vdev: 'hda',
        backend: m.storage_backend ?? 'Domain-0',
        format: 'raw' as const,
        access: 'rw' as const,
      },
    ],
    ...compact({ ...extra }),
  });
}

/** The attributes every stub domain reports but autostart, from libxl's view; `prior` keeps the user's spelling. */
export function stubValues(
  info: DomainInfo,
  rt: DomainRuntime | undefined,
  prior: StubModel | null,
): Reported<StubModel> {
  const disk = info.disks.find((d) => d.vdev === 'hda') ?? info.disks[0];
  return {
    id: info.name,
    name: info.name,
    kernel: info.kernel ?? null,
    memory: info.memory ?? null,
    storage: spelled(prior?.storage, disk?.target),
    storage_backend: disk?.backendDomname ?? 'Domain-0',
    seclabel: info.seclabel ?? null,
    domid: info.domid,
    state: runtimeState(rt),
  };
}

/**
 * Plan-time: labels on a Xen without FLASK, then libxl's own parser on a configuration about to be created.
 * `computed`: the attributes of the resource's model M that libxl reports, which may be unknown in a configuration
 * that can be checked.
 */
export async function planStubDomain<M extends StubModel>(
  ctx: PlanContext<XenClient>,
  model: (v: CtyObject) => M,
  computed: ReadonlyArray<keyof M & string>,
  spec: () => DomainSpec | undefined,
): Promise<void> {
  if (!isConfiguredPlan(ctx) || ctx.diags.hasErrors) return;
  await labelProblems(ctx, seclabelOnly(model(ctx.planned)));
  if (!ctx.isReplacing()) return;
  // Only a wholly known configuration can be checked; unknown parts are checked at apply by xl itself.
  const reported: readonly string[] = computed;
  if (Object.entries(ctx.planned).some(([k, v]) => !reported.includes(k) && containsUnknown(v))) return;
  const s = spec();
  if (!s) return;
  try {
    const dry = await ctx.meta.ts.dryRun(s, { signal: ctx.signal });
    for (const d of dry.differences) {
      ctx.diags.error(
        'libxl would read this configuration differently',
        `${d.path}: meant ${JSON.stringify(d.wanted)}, libxl understood ${JSON.stringify(d.got)}.`,
      );
    }
  } catch (err) {
    ctx.diags.fromError(err, 'libxl rejected the configuration (xl create -n)');
  }
}

export async function readStub(
  ctx: BaseContext<XenClient>,
  name: string,
): Promise<{ info: DomainInfo; rt: DomainRuntime | undefined } | null> {
  const ts = ctx.meta.ts;
  const [info, rt] = await Promise.all([
    ts.getDomain(name, { signal: ctx.signal }),
    ts.domainState(name, { signal: ctx.signal }),
  ]);
  if (!info) {
    ctx.log.info('domain no longer exists; it will be planned for creation', { domain: name });
    return null;
  }
  return { info, rt };
}

/** xl create, then libxl's view of what it made. */
export async function createStub(
  ctx: ApplyContext<XenClient>,
  spec: DomainSpec,
  planned: StubModel,
): Promise<{ info: DomainInfo; rt: DomainRuntime | undefined }> {
  const ts = ctx.meta.ts;
  ctx.log.info('creating vTPM stub domain', { domain: spec.name, kernel: spec.kernel });
  await ts.createDomain(spec, { signal: ctx.signal });
  ts.invalidate();
  const found = await readStub(ctx, spec.name);
  if (!found) {
    throw new DiagnosticError(
      `Domain ${spec.name} vanished after xl create`,
      `xl create succeeded but \`xl list\` does not show it: the mini-os image may have crashed at boot. Check \`xl dmesg\` and its console (\`xl console ${spec.name}\`).`,
    );
  }
  if (planned.autostart) await ts.setAutostart(spec.name, true);
  return found;
}

async function updateAutostart(ctx: BaseContext<XenClient>, planned: StubModel, prior: StubModel): Promise<void> {
  const want = planned.autostart ?? false;
  if (want !== prior.autostart) await ctx.meta.ts.setAutostart(planned.name!, want);
}

/**
 * The vTPM manager ignores shutdown requests (xen-vtpmmgr(7): "use the destroy command"), so it is destroyed; a vTPM
 * gets the usual graceful shutdown first.
 */
async function deleteStub(ctx: BaseContext<XenClient>, name: string, graceful: boolean): Promise<void> {
  const ts = ctx.meta.ts;
  if (graceful) {
    const outcome = await ts.shutdownDomain(name, { timeoutMs: ctx.meta.shutdownTimeoutMs, signal: ctx.signal });
    ctx.log.info('domain removed', { domain: name, outcome });
  } else {
    ctx.log.info('destroying domain (it does not answer shutdown requests)', { domain: name });
    await ts.destroyDomain(name, { signal: ctx.signal });
  }
  await ts.setAutostart(name, false);
}

/** Terraform values of one stub domain resource (model M) from libxl's view; `prior` keeps the user's spelling. */
export type StubValues<M> = (
  ctx: BaseContext<XenClient>,
  info: DomainInfo,
  rt: DomainRuntime | undefined,
  prior: M | null,
) => Promise<Reported<M>>;

/**
 * read, update (autostart only: everything else replaces), delete and import, the same for both stub domain
 * resources. `checkImport` refuses a domain that is not of the resource's kind.
 */
export function stubLifecycle<M extends StubModel>(
  what: string,
  typeName: string,
  values: StubValues<M>,
  opts: { graceful: boolean; checkImport?: (info: DomainInfo) => void },
): Pick<ModelResource<XenClient, M>, 'read' | 'update' | 'delete' | 'importState'> {
  return {
    async read(ctx) {
      const state = ctx.model;
      const found = await readStub(ctx, state.name ?? state.id ?? '');
      return found ? values(ctx, found.info, found.rt, state) : null;
    },
    async update(ctx) {
      const { planned, prior } = ctx.model;
      await updateAutostart(ctx, planned, prior);
      const { name } = prior;
      const found = await readStub(ctx, name!);
      if (!found)
        throw new DiagnosticError(
          `The ${what} ${name} disappeared during the update`,
          'The next plan will create it again.',
        );
      return values(ctx, found.info, found.rt, planned);
    },
    delete: (ctx) => deleteStub(ctx, ctx.model.name!, opts.graceful),
    async importState(id, ctx) {
      const c = domainName.check(id);
      if (c) throw new DiagnosticError(`Invalid ${typeName} import id ${JSON.stringify(id)}`, c);
      const found = await readStub(ctx, id);
      if (!found)
        throw new DiagnosticError(
          `Cannot import ${what} ${JSON.stringify(id)}`,
          'No domain of that name is running (see `xl list`). Import ids are domain names.',
        );
      opts.checkImport?.(found.info);
      return values(ctx, found.info, found.rt, null);
    },
  };
}
