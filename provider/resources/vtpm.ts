// xen_vtpm: one guest's virtual TPM, a vtpm-stubdom domain (xen-vtpm(7)) that emulates a TPM for exactly one guest
// (`vtpm { backend = ... }` on xen_domain) and keeps its keys sealed by the vTPM manager, to which it is connected
// with xl.cfg `vtpm = ["backend=MANAGER,uuid=UUID"]`. The UUID is the vTPM's identity to the manager.

import type { CtyObject } from '../protocol/cty/types';
import { UNKNOWN } from '../protocol/cty/types';
import { DiagnosticError } from '../framework/diagnostics';
import type { ApplyContext, BaseContext, PlanContext, ResourceType } from '../framework/resource';
import { stringCheck } from '../framework/validators';
import type { DomainInfo, DomainRuntime, DomainSpec } from '../xen/model';
import { checkUuid } from '../xen/validate';
import type { XenClient } from './client';
import { domainName } from './domain_schema';
import { attrOf, decode, schema, type Model, type Reported } from '../framework/model';
import { TypedPartialApplyError, typedResource } from '../framework/typed';
import { createStub, planStubDomain, stubDomainAttributes, stubLifecycle, stubSpec, stubValues } from './vtpm_domain';

const XENBUS_STATES: Record<number, string> = {
  1: 'Initialising',
  2: 'InitWait',
  3: 'Initialised',
  4: 'Connected',
  5: 'Closing',
  6: 'Closed',
};

const vtpmSchema = schema({
  block: {
    description:
      "A guest's virtual TPM: a `vtpm-stubdom` domain (xen-vtpm(7)) that emulates a TPM for one guest (`vtpm { backend = xen_vtpm.NAME.name }` on `xen_domain`) and keeps its keys sealed by the vTPM manager (`xen_vtpm_manager`). " +
      'After creating it, waits until its link to the manager is connected (`xl vtpm-list`, within `hotplug_timeout`). ' +
      "It sees every measurement of its guest and can forge them, so it is in that guest's trusted computing base; give each guest its own.",
    attributes: {
      ...stubDomainAttributes(
        'vTPM',
        'vtpm-stubdom.gz',
        "Disk image or block device holding this vTPM's encrypted state (RSA keys, NVRAM); 2 MiB is enough.",
      ),
      manager: {
        type: 'string',
        required: true,
        requiresReplace: true,
        description: 'Name of the vTPM manager domain, normally `xen_vtpm_manager.NAME.name`.',
        validators: [domainName],
      },
      uuid: {
        type: 'string',
        optional: true,
        computed: true,
        requiresReplace: true,
        useStateForUnknown: true,
        description:
          "The vTPM's identity to the manager (its slot in the manager's key store). libxl generates one when unset; changing it starts a vTPM with fresh keys and empty NVRAM.",
        validators: [stringCheck('a UUID', checkUuid)],
      },
      manager_domid: {
        type: 'number',
        computed: true,
        useStateForUnknown: true,
        description:
          'Domain id of the manager the vTPM is connected to; when the manager is re-created, the vTPM is replaced.',
      },
      connected: {
        type: 'bool',
        computed: true,
        useStateForUnknown: true,
        description: 'The link to the manager is Connected (xenbus state 4 in `xl vtpm-list`).',
      },
    },
  },
});

export type VtpmModel = Model<typeof vtpmSchema>;

export function vtpmModel(v: CtyObject): VtpmModel {
  return decode(vtpmSchema.block, v);
}

const model = vtpmModel;

const COMPUTED = ['id', 'domid', 'state', 'uuid', 'manager_domid', 'connected'] satisfies Array<keyof VtpmModel>;

export const vtpmResource: ResourceType<XenClient> = typedResource<XenClient, typeof vtpmSchema>({
  typeName: 'xen_vtpm',
  schema: vtpmSchema,

  validate(ctx) {
    if (ctx.config.manager === 'Domain-0') {
      ctx.diags.error(
        'dom0 cannot be the vTPM manager',
        'Linux in dom0 has no TPM backend, and the manager must own the TPM outside dom0: set manager to a xen_vtpm_manager domain.',
        [attrOf<VtpmModel>('manager')],
      );
    }
  },
  async modifyPlan(ctx) {
    await planManagerRestart(ctx);
    await planStubDomain(ctx, model, COMPUTED, () => vtpmSpec(model(ctx.planned)));
  },
  async create(ctx) {
    const { planned } = ctx.model;
    const spec = vtpmSpec(planned)!;
    const { info, rt } = await createStub(ctx, spec, planned);
    try {
      const state = await reported(ctx, info, rt, planned);
      await awaitManager(ctx, spec.name, spec.vtpms![0].backend);
      return { ...state, connected: true };
    } catch (err) {
      // The domain exists: hand its state to Terraform (tainted) so the next apply replaces it, never orphaned. When
      // dom0 cannot be asked (the ssh connection dropped, vtpm-list refused), from what create already knows.
      const known = await reported(ctx, info, rt, planned).catch((): Reported<VtpmModel> => ({
        ...stubValues(info, rt, planned),
        manager: spec.vtpms![0].backend,
        uuid: info.vtpms[0]?.uuid ?? null,
        manager_domid: null,
        connected: false,
        autostart: planned.autostart === true,
      }));
      throw new TypedPartialApplyError(err, known);
    }
  },
  ...stubLifecycle('vTPM', 'xen_vtpm', reported, {
    graceful: true,
    checkImport(info) {
      if (info.vtpms.length === 0)
        throw new DiagnosticError(
          `${info.name} is not a vTPM domain`,
          `It has no vtpm device (\`xl vtpm-list ${info.name}\` is empty), so no manager serves it.`,
        );
    },
  }),
});

function vtpmSpec(m: VtpmModel): DomainSpec | undefined {
  const { manager } = m;
  if (!manager || !m.name || !m.storage) return undefined;
  return stubSpec(m, { vtpms: [{ backend: manager, uuid: m.uuid }] });
}

async function reported(
  ctx: BaseContext<XenClient>,
  info: DomainInfo,
  rt: DomainRuntime | undefined,
  prior: VtpmModel | null,
): Promise<Reported<VtpmModel>> {
  const dev = info.vtpms[0];
  const [link] = await ctx.meta.ts.vtpmList(info.name, { signal: ctx.signal });
  return {
    ...stubValues(info, rt, prior),
    manager: dev?.backendDomname ?? 'Domain-0',
    uuid: dev?.uuid ?? null,
    // The domid the frontend is bound to: it changes when the manager is re-created, which plans a replacement.
    manager_domid: link ? link.backendDomid : null,
    connected: link?.state === 4,
    autostart: await ctx.meta.ts.autostartEnabled(info.name),
  };
}

/** Polls `xl vtpm-list` until the vTPM's link to the manager is Connected, within hotplug_timeout. */
async function awaitManager(ctx: ApplyContext<XenClient>, name: string, manager: string): Promise<void> {
  const deadline = Date.now() + ctx.meta.hotplugTimeoutMs;
  let state = 0;
  ctx.log.info('waiting for the vTPM to connect to its manager', {
    domain: name,
    manager,
    timeout_ms: ctx.meta.hotplugTimeoutMs,
  });
  for (;;) {
    const [link] = await ctx.meta.ts.vtpmList(name, { signal: ctx.signal });
    state = link?.state ?? 0;
    if (state === 4) return;
    if (Date.now() + 250 > deadline || ctx.signal.aborted) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const mgr = await ctx.meta.ts.getDomain(manager, { signal: ctx.signal });
  const image = (mgr?.kernel ?? '').split('/').pop() ?? '';
  const why =
    manager === 'Domain-0'
      ? 'Domain-0 has no vTPM backend: the manager must be a vtpmmgr-stubdom domain (xen_vtpm_manager).'
      : !mgr
        ? `${manager} is not running: create it first (depend on its xen_vtpm_manager) and check \`xl list\`.`
        : !image.startsWith('vtpmmgr')
          ? `${manager} runs ${JSON.stringify(mgr.kernel ?? '(no kernel)')}, not vtpmmgr-stubdom: only the vTPM manager serves vTPM domains.`
          : `${manager} has not taken the vTPM: on its console (\`xl console ${manager}\`) it should print "Waiting for commands from vTPM's". If it did not, it cannot use the TPM: check tpm_version against the host's TPM, that the TPM page of its locality is not driven by dom0, and the TPM's owner/SRK auth.`;
  throw new DiagnosticError(
    `vTPM ${name} did not connect to its manager ${manager}`,
    `Within hotplug_timeout (${ctx.meta.hotplugTimeoutMs} ms) \`xl vtpm-list ${name}\` shows state ${state} (${XENBUS_STATES[state] ?? 'no device'}), not 4 (Connected). ${why} ` +
      "With FLASK enforcing, the policy must also let the vTPM's type talk to the manager's (grant mapping and event channels).",
  );
}

/** A vTPM whose manager was re-created (new domid) has lost it for good: replace it. */
async function planManagerRestart(ctx: PlanContext<XenClient>): Promise<void> {
  if (!ctx.meta || !ctx.prior || ctx.isReplacing()) return;
  const prior = model(ctx.prior);
  const { manager } = model(ctx.planned);
  if (!manager) return;
  const mgr = await ctx.meta.ts.getDomain(manager, { signal: ctx.signal });
  if (mgr && prior.manager_domid === mgr.domid && prior.connected === true) return;
  ctx.log.info('the vTPM manager was re-created or the link is down; the vTPM will be replaced', {
    manager,
    was: prior.manager_domid ?? null,
    now: mgr?.domid ?? null,
  });
  const reported = ['domid', 'state', 'manager_domid', 'connected'] satisfies Array<keyof VtpmModel>;
  for (const k of reported) ctx.planned[k] = UNKNOWN;
  ctx.requiresReplace([attrOf<VtpmModel>('manager_domid')]);
}
