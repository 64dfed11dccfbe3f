// Typed reads of cty objects for resource code: a resource never inspects Unknown/BigNumber itself.

import { Unknown } from '../protocol/cty/types';
import type { CtyObject, CtyValue } from '../protocol/cty/types';
import { numberOf } from './validators';

export function str(o: CtyObject, k: string): string | undefined {
  const v = o[k];
  return typeof v === 'string' ? v : undefined;
}

export function num(o: CtyObject, k: string): number | undefined {
  const v = o[k];
  return v === null || v instanceof Unknown ? undefined : numberOf(v);
}

export function bool(o: CtyObject, k: string): boolean | undefined {
  const v = o[k];
  return typeof v === 'boolean' ? v : undefined;
}

export function objects(o: CtyObject, k: string): CtyObject[] {
  const v = o[k];
  return Array.isArray(v) ? (v.filter((x) => x !== null && typeof x === 'object' && !(x instanceof Unknown)) as CtyObject[]) : [];
}

export function obj(o: CtyObject, k: string): CtyObject | undefined {
  const v = o[k];
  return v !== null && typeof v === 'object' && !(v instanceof Unknown) && !Array.isArray(v) ? (v as CtyObject) : undefined;
}

/** Omits undefined so optional spec fields stay absent rather than present-but-undefined. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * The user's spelling when it means the same as what libxl reports (e.g. `03:00.0` vs `0000:03:00.0`, MAC case):
 * Terraform requires a value known in the plan to come back byte-identical.
 */
export function spelled(prior: CtyValue | undefined, actual: string | undefined, same: (a: string, b: string) => boolean = (a, b) => a === b): string | null {
  if (actual === undefined) return null;
  return typeof prior === 'string' && same(prior, actual) ? prior : actual;
}
