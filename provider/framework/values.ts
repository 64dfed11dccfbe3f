// Helpers for the values resources report. Terraform values are read through typed models (model.ts), never by
// attribute name, so there are no string-keyed readers here.

import type { CtyValue } from '../protocol/cty/types';

/** Omits undefined so optional spec fields stay absent rather than present-but-undefined. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * The user's spelling when it means the same as what libxl reports (e.g. `03:00.0` vs `0000:03:00.0`, MAC case):
 * Terraform requires a value known in the plan to come back byte-identical.
 */
export function spelled(
  prior: CtyValue | undefined,
  actual: string | undefined,
  same: (a: string, b: string) => boolean = (a, b) => a === b,
): string | null {
  if (actual === undefined) return null;
  return typeof prior === 'string' && same(prior, actual) ? prior : actual;
}
