// Plan-time check of FLASK labels against the host: on a Xen without XSM, libxl accepts a label and ignores it with
// only a log line, so a configuration that relies on labels must be stopped before anything is created.

import type { CtyObject } from '../protocol/cty/types';
import type { PlanContext } from '../framework/resource';
import type { Path } from '../framework/diagnostics';
import type { XenClient } from './client';
import { obj, str } from './values';

export function labelPaths(v: CtyObject): Array<[Path, string]> {
  const out: Array<[Path, string]> = [];
  for (const attr of ['seclabel', 'init_seclabel']) {
    const l = str(v, attr);
    if (l) out.push([[{ attr }], l]);
  }
  const dm = obj(v, 'device_model');
  const dml = dm ? str(dm, 'seclabel') : undefined;
  if (dml) out.push([[{ attr: 'device_model' }, { attr: 'seclabel' }], dml]);
  return out;
}

export async function labelProblems(ctx: PlanContext<XenClient>, planned: CtyObject): Promise<void> {
  const labels = labelPaths(planned);
  if (labels.length === 0 || ctx.meta.securityPolicy === 'off') return;
  const mode = await ctx.meta.ts.flaskMode({ signal: ctx.signal });
  if (mode !== 'disabled') return;
  for (const [path, label] of labels) {
    const summary = 'FLASK label would be ignored';
    const detail =
      `This Xen has no XSM/FLASK ("xl getenforce" says "Flask XSM Disabled"): libxl would accept ${JSON.stringify(label)} and ` +
      'ignore it, so the domain would run unlabelled. Boot a Xen built with XSM and load a FLASK policy, or remove the label, ' +
      'or set security_policy = "warn" (or "off") in the provider block to accept it.';
    if (ctx.meta.securityPolicy === 'enforce') ctx.diags.error(summary, detail, path);
    else ctx.diags.warning(summary, detail, path);
  }
}
