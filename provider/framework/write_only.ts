// Write-only attributes (Terraform >= 1.11, protocol 6.8): a value the configuration gives the provider for apply
// but that Terraform never stores in plan or state. The provider's side of the contract is here: planned and new
// state carry null for every write-only attribute, and a configuration that sets one is refused when the client
// cannot keep it out of state (an older Terraform ignores `write_only` in the schema and would store the value).

import { Unknown, record } from '../protocol/cty/types';
import type { CtyObject, CtyValue } from '../protocol/cty/types';
import type { Path } from './diagnostics';
import { children } from './plan';
import type { Attribute, Block, Nesting } from './schema';

function isObj(v: CtyValue | undefined): v is CtyObject {
  return (
    v !== null &&
    v !== undefined &&
    typeof v === 'object' &&
    !(v instanceof Unknown) &&
    Object.getPrototypeOf(v) === null
  );
}

/** Whether any attribute of the block, at any depth, is write-only (most schemas have none: skip the walk). */
export function hasWriteOnly(block: Block): boolean {
  return (
    Object.values(block.attributes).some((a: Attribute) => a.writeOnly) ||
    children(block).some(([, , b]) => hasWriteOnly(b))
  );
}

function eachElement(nesting: Nesting | 'group', v: CtyValue, fn: (el: CtyObject, step: Path) => CtyValue): CtyValue {
  if (v === null || v instanceof Unknown) return v;
  if (nesting === 'single' || nesting === 'group') return isObj(v) ? fn(v, []) : v;
  if (Array.isArray(v)) return v.map((el, i) => (isObj(el) ? fn(el, [{ index: i }]) : el));
  if (isObj(v)) {
    const out = record();
    for (const k of Object.keys(v)) out[k] = isObj(v[k]) ? fn(v[k] as CtyObject, [{ key: k }]) : v[k];
    return out;
  }
  return v;
}

/** A copy of `value` with every write-only attribute null: what plan and state may hold. */
export function withoutWriteOnly(block: Block, value: CtyObject): CtyObject {
  const out = record();
  for (const k of Object.keys(value)) out[k] = value[k];
  for (const [name, a] of Object.entries(block.attributes)) if (a.writeOnly && name in out) out[name] = null;
  for (const [name, nesting, inner] of children(block)) {
    if (name in out) out[name] = eachElement(nesting, out[name], (el) => withoutWriteOnly(inner, el));
  }
  return out;
}

/** Paths of write-only attributes the configuration sets (to a value, known or not). */
export function writeOnlyPathsSet(block: Block, config: CtyObject, base: Path = []): Path[] {
  const found: Path[] = [];
  for (const [name, a] of Object.entries(block.attributes)) {
    const v = config[name];
    if (a.writeOnly && v !== null && v !== undefined) found.push([...base, { attr: name }]);
  }
  for (const [name, nesting, inner] of children(block)) {
    eachElement(nesting, config[name] ?? null, (el, step) => {
      found.push(...writeOnlyPathsSet(inner, el, [...base, { attr: name }, ...step]));
      return el;
    });
  }
  return found;
}
