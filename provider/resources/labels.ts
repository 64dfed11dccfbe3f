// Plan-time check of FLASK labels against the host: on a Xen without XSM, libxl accepts a label and ignores it with
// only a log line, so a configuration that relies on labels must be stopped before anything is created.

import type { PlanContext } from '../framework/resource';
import type { Path } from '../framework/diagnostics';
import type { XenClient } from './client';
import type { ModelLabel } from '../policy/model';
import type { DomainModel } from './domain_schema';
import { checkDeviceLabel, checkDomainLabel } from '../xen/flask/facts';
import type { KnownPolicy } from '../xen/flask/knowledge';

/** A domain's FLASK labels with where each is set: what the plan-time check and the posture rules both read. */
export function domainLabels(m: Pick<DomainModel, 'seclabel' | 'init_seclabel' | 'device_model'>): ModelLabel[] {
  const out: ModelLabel[] = [];
  if (m.seclabel) out.push({ label: m.seclabel, path: [{ attr: 'seclabel' satisfies keyof DomainModel }] });
  if (m.init_seclabel) out.push({ label: m.init_seclabel, path: [{ attr: 'init_seclabel' satisfies keyof DomainModel }] });
  const dml = m.device_model?.seclabel;
  if (dml) out.push({ label: dml, path: [{ attr: 'device_model' satisfies keyof DomainModel }, { attr: 'seclabel' }] });
  return out;
}

/** A stub domain's one label (xen_vtpm, xen_vtpm_manager). */
export function seclabelOnly(label: string | undefined): ModelLabel[] {
  return label ? [{ label, path: [{ attr: 'seclabel' }] }] : [];
}

export async function labelProblems(ctx: PlanContext<XenClient>, labels: ModelLabel[]): Promise<void> {
  if (labels.length === 0 || ctx.meta.securityPolicy === 'off') return;
  const mode = await ctx.meta.ts.flaskMode({ signal: ctx.signal });
  if (mode !== 'disabled') return policyProblems(ctx, labels);
  for (const { path, label } of labels) {
    const summary = 'FLASK label would be ignored';
    const detail =
      `This Xen has no XSM/FLASK ("xl getenforce" says "Flask XSM Disabled"): libxl would accept ${JSON.stringify(label)} and ` +
      'ignore it, so the domain would run unlabelled. Boot a Xen built with XSM and load a FLASK policy, or remove the label, ' +
      'or set security_policy = "warn" (or "off") in the provider block to accept it.';
    if (ctx.meta.securityPolicy === 'enforce') ctx.diags.error(summary, detail, path);
    else ctx.diags.warning(summary, detail, path);
  }
}

function knownFrom(known: KnownPolicy): string {
  return known.source === 'planned'
    ? `the policy planned in this configuration (${known.file})`
    : `the policy this provider last loaded on the host (${known.file}, sha256 ${known.sha256.slice(0, 12)}...)`;
}

/**
 * Each domain label against the policy: the one planned in this configuration (xen_flask_policy, when this resource
 * depends on it) or the one the provider last loaded on this host. Xen itself refuses a label the policy does not
 * define, or a device type used for a domain, only when the domain is created; here it is refused before anything is.
 * A policy the provider did not load (built in, given by the boot loader, loaded by hand) is unknown: no check then.
 */
async function policyProblems(ctx: PlanContext<XenClient>, labels: ModelLabel[]): Promise<void> {
  const known = await ctx.meta.flask?.current(ctx.signal);
  if (!known) {
    ctx.log.warn('FLASK labels not checked at plan: the loaded policy is unknown (no xen_flask_policy in this configuration, and none loaded by this provider on this host)');
    return;
  }
  const from = knownFrom(known);
  for (const { path, label } of labels) {
    const problem = checkDomainLabel(known.facts, label);
    if (problem) ctx.diags.error(problem.summary, `${problem.detail} Checked against ${from}.`, path);
  }
}

/**
 * A PCI device's label (xen_pci_assignable.seclabel, applied with flask-label-pci) against the known policy: role
 * object_r and a device type. No check when FLASK is disabled or no policy is known (see xen/flask/knowledge.ts).
 */
export async function deviceLabelProblems(ctx: PlanContext<XenClient>, label: string, path: Path): Promise<void> {
  if (ctx.meta.securityPolicy === 'off') return;
  if ((await ctx.meta.ts.flaskMode({ signal: ctx.signal })) === 'disabled') return;
  const known = await ctx.meta.flask?.current(ctx.signal);
  if (!known) return;
  const problem = checkDeviceLabel(known.facts, label);
  if (problem) ctx.diags.error(problem.summary, `${problem.detail} Checked against ${knownFrom(known)}.`, path);
}
