// Plan-time check of FLASK labels against the policy they will run under, so that a label Xen would refuse when the
// domain is created is refused before anything is. (A label on a Xen without XSM, which libxl accepts and ignores, is
// the posture rule flask-label-ignored.)

import type { PlanContext, ConfiguredPlanContext } from '../framework/resource';
import type { Path } from '../framework/diagnostics';
import type { XenClient } from './client';
import type { ModelLabel } from '../policy/model';
import type { DomainModel } from './domain_schema';
import { attrOf } from '../framework/model';
import { checkDeviceLabel, checkDomainLabel } from '../xen/flask/facts';
import type { KnownPolicy } from '../xen/flask/knowledge';

/** A domain's FLASK labels with where each is set: what the plan-time check and the posture rules both read. */
export function domainLabels(m: Pick<DomainModel, 'seclabel' | 'init_seclabel' | 'device_model'>): ModelLabel[] {
  const out: ModelLabel[] = [];
  if (m.seclabel) out.push({ label: m.seclabel, role: 'domain', path: [attrOf<DomainModel>('seclabel')] });
  if (m.init_seclabel)
    out.push({ label: m.init_seclabel, role: 'build', path: [attrOf<DomainModel>('init_seclabel')] });
  const dml = m.device_model?.seclabel;
  if (dml)
    out.push({
      label: dml,
      role: 'stubdomain',
      path: [attrOf<DomainModel>('device_model'), attrOf<NonNullable<DomainModel['device_model']>>('seclabel')],
    });
  return out;
}

/**
 * A stub domain's one label (xen_vtpm, xen_vtpm_manager), its `seclabel` as a domain's is. `m` is the resource's model
 * (StubModel): its `seclabel` is the attribute named here.
 */
export function seclabelOnly(m: { seclabel?: string }): ModelLabel[] {
  return m.seclabel ? [{ label: m.seclabel, role: 'domain', path: [attrOf<typeof m>('seclabel')] }] : [];
}

const toldPolicyUnknown = new WeakSet<XenClient>();

/**
 * Each domain label against the policy it will run under (see policyFor). Xen itself refuses a label the policy does
 * not define, or a device type used for a domain, only when the domain is created; here it is refused before
 * anything is.
 */
export async function labelProblems(ctx: ConfiguredPlanContext<XenClient>, labels: ModelLabel[]): Promise<void> {
  if (labels.length === 0) return;
  const known = await policyFor(ctx);
  if (known === null && !toldPolicyUnknown.has(ctx.meta)) {
    // Once per provider process: the same line for each of 200 guests was 200 lines for Terraform to parse.
    toldPolicyUnknown.add(ctx.meta);
    ctx.log.warn(
      'FLASK labels not checked at plan: the loaded policy is unknown (no xen_flask_policy in this configuration, and none loaded by this provider on this host)',
    );
  }
  if (!known) return;
  for (const { path, label } of labels) report(ctx, checkDomainLabel(known.facts, label), known, path);
}

/**
 * A PCI device's label (xen_pci_assignable.seclabel, applied with flask-label-pci) against the known policy: role
 * object_r and a device type.
 */
export async function deviceLabelProblems(
  ctx: ConfiguredPlanContext<XenClient>,
  label: string,
  path: Path,
): Promise<void> {
  const known = await policyFor(ctx);
  if (known) report(ctx, checkDeviceLabel(known.facts, label), known, path);
}

/**
 * The policy labels are checked against: the one planned in this configuration (xen_flask_policy, when this
 * resource depends on it) or the one the provider last loaded on this host (xen/flask/knowledge.ts). None when the
 * checks are off, when the Xen has no FLASK (a label would be ignored: the posture rule flask-label-ignored says
 * so); null when the policy was not loaded by this provider (built in, given by the boot loader, loaded by hand).
 */
async function policyFor(ctx: ConfiguredPlanContext<XenClient>): Promise<KnownPolicy | null | undefined> {
  if (ctx.meta.securityPolicy === 'off') return undefined;
  if ((await ctx.meta.ts.flaskMode({ signal: ctx.signal })) === 'disabled') return undefined;
  return (await ctx.meta.flask?.current(ctx.signal)) ?? null;
}

function report(
  ctx: ConfiguredPlanContext<XenClient>,
  problem: { summary: string; detail: string } | undefined,
  known: KnownPolicy,
  path: Path,
): void {
  if (!problem) return;
  const from =
    known.source === 'planned'
      ? `the policy planned in this configuration (${known.file})`
      : `the policy this provider last loaded on the host (${known.file}, sha256 ${known.sha256.slice(0, 12)}...)`;
  ctx.diags.error(problem.summary, `${problem.detail} Checked against ${from}.`, path);
}
