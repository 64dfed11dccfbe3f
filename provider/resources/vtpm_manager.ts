// xen_vtpm_manager: the vTPM manager stub domain (vtpmmgr-stubdom, xen-vtpmmgr(7)). It alone talks to the physical
// TPM, through the TIS page of one locality mapped into it (xl.cfg iomem), and it seals every vTPM's key with it:
// whoever controls it holds every guest's vTPM secrets. There is one per host, running for the host's lifetime.

import type { CtyObject } from '../protocol/cty/types';
import type { BaseContext, ResourceType } from '../framework/resource';
import { intBetween, oneOf } from '../framework/validators';
import type { DomainInfo, DomainRuntime, DomainSpec, IomemSpec } from '../xen/model';
import type { XenClient } from './client';
import { decode, schema, type Model, type Reported } from '../framework/model';
import { typedResource } from '../framework/typed';
import { createStub, planStubDomain, stubDomainAttributes, stubLifecycle, stubSpec, stubValues } from './vtpm_domain';

/** The TPM TIS interface: one 4 KiB page per locality from 0xfed40000 (TCG PC Client spec). */
export const TPM_TIS_FRAME = 0xfed40;

const managerSchema = schema({
  block: {
    description:
      "The vTPM manager (`vtpmmgr-stubdom`, xen-vtpmmgr(7)): the one domain that owns the physical TPM and seals the secrets of every guest's vTPM (`xen_vtpm`) to it. " +
      "Run one per host, for the host's lifetime (set `autostart`), labelled with a FLASK type of its own and serving nothing but vTPM domains: the security posture rule `vtpm-manager-not-isolated` says when it is not. " +
      'dom0 must not drive the TPM itself (blacklist `tpm_tis`/`tpm_crb` in dom0, or let dom0 keep locality 0 while the manager uses locality 2). ' +
      'It ignores shutdown requests, so destroying it is `xl destroy`.',
    attributes: {
      ...stubDomainAttributes(
        'vTPM manager',
        'vtpmmgr-stubdom.gz',
        "Disk image or block device holding the manager's sealed key store (the Xen 4.5+ manager uses its first 2 MiB, enough for 20000 vTPMs).",
      ),
      tpm_version: {
        type: 'string',
        required: true,
        requiresReplace: true,
        description:
          "Version of the host's physical TPM: `1.2`, or `2.0` (adds `tpm2=1` to the manager's command line). xen-vtpmmgr(7) warns that on TPM 2.0 the manager cannot yet persist vTPM data across its restarts.",
        validators: [oneOf('1.2', '2.0')],
      },
      tpm_locality: {
        type: 'number',
        default: 2,
        requiresReplace: true,
        description:
          "TPM locality the manager uses; only that locality's TIS page (0xfed40000 + 4 KiB x locality) is mapped into it (xl.cfg `iomem`). Locality 2, the default xen-vtpmmgr(7) recommends, leaves locality 0 to dom0 and is needed for deep quotes (PCRs 20-22).",
        validators: [intBetween(0, 4)],
      },
    },
  },
});

export type ManagerModel = Model<typeof managerSchema>;

export function managerModel(v: CtyObject): ManagerModel {
  return decode(managerSchema.block, v);
}

const model = managerModel;

const COMPUTED = ['id', 'domid', 'state'] satisfies Array<keyof ManagerModel>;

export const vtpmManagerResource: ResourceType<XenClient> = typedResource<XenClient, typeof managerSchema>({
  typeName: 'xen_vtpm_manager',
  schema: managerSchema,

  async modifyPlan(ctx) {
    await planStubDomain(ctx, model, COMPUTED, () => managerSpec(model(ctx.planned)));
  },
  async create(ctx) {
    const { planned } = ctx.model;
    const spec = managerSpec(planned)!;
    const { info, rt } = await createStub(ctx, spec, planned);
    return values(ctx, info, rt, planned);
  },
  ...stubLifecycle('vTPM manager', 'xen_vtpm_manager', values, { graceful: false }),
});

/** The manager's Terraform values from libxl's view (stubLifecycle's StubValues). */
async function values(
  ctx: BaseContext<XenClient>,
  info: DomainInfo,
  rt: DomainRuntime | undefined,
  prior: ManagerModel | null,
): Promise<Reported<ManagerModel>> {
  return {
    ...stubValues(info, rt, prior),
    ...tpmValues(info),
    autostart: await ctx.meta.ts.autostartEnabled(info.name),
  };
}

function managerSpec(m: ManagerModel): DomainSpec | undefined {
  const version = m.tpm_version;
  const locality = m.tpm_locality ?? 2;
  if (!version || !m.name || !m.storage) return undefined;
  const iomem: IomemSpec[] = [{ start: TPM_TIS_FRAME + locality, count: 1 }];
  const cmdline = `tpmlocality=${locality}${version === '2.0' ? ' tpm2=1' : ''}`;
  return stubSpec(m, { cmdline, iomem });
}

/** tpm_version and tpm_locality as the manager's command line and TPM page mapping say. */
function tpmValues(info: DomainInfo): Pick<Reported<ManagerModel>, 'tpm_version' | 'tpm_locality'> {
  const cmdline = info.cmdline ?? '';
  const loc = /(?:^|\s)tpmlocality=([0-4])(?:\s|$)/.exec(cmdline);
  const page = info.iomem.find((r) => r.start >= TPM_TIS_FRAME && r.start <= TPM_TIS_FRAME + 4);
  return {
    tpm_version: /(?:^|\s)tpm2=1(?:\s|$)/.test(cmdline) ? '2.0' : '1.2',
    tpm_locality: loc ? Number(loc[1]) : page ? page.start - TPM_TIS_FRAME : null,
  };
}
