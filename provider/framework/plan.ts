// The schema-driven part of planning and applying, as pure functions over values: defaults, unknown marking for
// computed attributes, RequiresReplace, and the merge that keeps every value known at plan time identical after
// apply (Terraform rejects "inconsistent result after apply" otherwise).

import { Unknown, UNKNOWN, record } from '../protocol/cty/types';
import type { CtyObject, CtyType, CtyValue } from '../protocol/cty/types';
import { valueEquals } from '../protocol/cty/values';
import type { Path } from './diagnostics';
import { attributeType, blockType, isComputedOnly, isOptionalComputed } from './schema';
import type { Attribute, Block, Nesting } from './schema';

export function cloneValue<T extends CtyValue>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneValue) as T;
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === null) {
    const out = record();
    for (const k of Object.keys(v)) out[k] = cloneValue((v as CtyObject)[k]);
    return out as T;
  }
  return v; // primitives and the immutable Unknown / BigNumber / Dynamic instances
}

function isObj(v: CtyValue | undefined): v is CtyObject {
  return v !== null && v !== undefined && typeof v === 'object' && Object.getPrototypeOf(v) === null;
}

/**
 * Visits the objects inside a nested attribute or block value, aligned with the same element of config and prior
 * (by index for lists, by key for maps). Set elements have no stable identity, so they are visited without a prior.
 */
function eachNested(
  nesting: Nesting | 'group',
  planned: CtyValue,
  config: CtyValue | undefined,
  prior: CtyValue | undefined,
  fn: (p: CtyObject, c: CtyObject | null, pr: CtyObject | null, step: Path) => void,
): void {
  if (planned === null || planned instanceof Unknown) return;
  if (nesting === 'single' || nesting === 'group') {
    if (isObj(planned)) fn(planned, isObj(config) ? config : null, isObj(prior) ? prior : null, []);
    return;
  }
  if (Array.isArray(planned)) {
    planned.forEach((el, i) => {
      if (!isObj(el)) return;
      const c = Array.isArray(config) && isObj(config[i]) ? (config[i] as CtyObject) : null;
      const pr = nesting === 'list' && Array.isArray(prior) && isObj(prior[i]) ? (prior[i] as CtyObject) : null;
      fn(el, c, pr, [{ index: i }]);
    });
    return;
  }
  if (isObj(planned)) {
    for (const k of Object.keys(planned)) {
      const el = planned[k];
      if (!isObj(el)) continue;
      fn(el, isObj(config) && isObj(config[k]) ? config[k] : null, isObj(prior) && isObj(prior[k]) ? prior[k] : null, [
        { key: k },
      ]);
    }
  }
}

/** A block's nested attributes and nested blocks, each as a block of its own. */
export function children(block: Block): Array<[string, Nesting | 'group', Block]> {
  const out: Array<[string, Nesting | 'group', Block]> = [];
  for (const [name, a] of Object.entries(block.attributes)) {
    if (a.nested) out.push([name, a.nested.nesting, { attributes: a.nested.attributes }]);
  }
  for (const [name, b] of Object.entries(block.blocks ?? {})) out.push([name, b.nesting, b.block]);
  return out;
}

/** Where config says the same as prior state in other words, plan the prior spelling (no change). */
export function keepEquivalentPrior(block: Block, planned: CtyObject, prior: CtyObject | null): void {
  if (prior === null) return;
  for (const [name, a] of Object.entries(block.attributes)) {
    const p = prior[name];
    const v = planned[name];
    if (a.equivalent && typeof v === 'string' && typeof p === 'string' && v !== p && a.equivalent(v, p))
      planned[name] = p;
  }
  for (const [name, nesting, inner] of children(block)) {
    eachNested(nesting, planned[name], undefined, prior[name], (pl, _c, pr) => keepEquivalentPrior(inner, pl, pr));
  }
}

/** Attributes left null in the configuration take their declared default. */
export function applyDefaults(block: Block, planned: CtyObject, config: CtyObject | null): void {
  for (const [name, a] of Object.entries(block.attributes)) {
    if (a.default !== undefined && (config === null || config[name] === null || config[name] === undefined)) {
      planned[name] = cloneValue(a.default);
    }
  }
  for (const [name, nesting, inner] of children(block)) {
    eachNested(nesting, planned[name], config?.[name], undefined, (p, c) => applyDefaults(inner, p, c));
  }
}

function shouldKeepPrior(a: Attribute, prior: CtyValue | undefined, replacing: boolean): boolean {
  return !replacing && !!a.useStateForUnknown && prior !== undefined && prior !== null && !(prior instanceof Unknown);
}

/**
 * Computed attributes the configuration does not set become unknown ("known after apply") when the object
 * changes, unless declared stable (useStateForUnknown) and the object is not being replaced.
 */
export function markComputedUnknown(
  block: Block,
  planned: CtyObject,
  config: CtyObject | null,
  prior: CtyObject | null,
  replacing: boolean,
): void {
  for (const [name, a] of Object.entries(block.attributes)) {
    const configured = config !== null && config[name] !== null && config[name] !== undefined;
    if (configured || a.default !== undefined) continue;
    if (!isComputedOnly(a) && !isOptionalComputed(a)) continue;
    if (a.nested && configured) continue;
    planned[name] = shouldKeepPrior(a, prior?.[name], replacing) ? cloneValue(prior![name]) : UNKNOWN;
  }
  for (const [name, nesting, inner] of children(block)) {
    if (planned[name] instanceof Unknown) continue;
    eachNested(nesting, planned[name], config?.[name], prior?.[name], (p, c, pr) =>
      markComputedUnknown(inner, p, c, pr, replacing || pr === null),
    );
  }
}

/** Paths of attributes (or whole nested blocks) declared requiresReplace whose planned value differs from prior. */
export function findReplacePaths(block: Block, prior: CtyObject, planned: CtyObject, base: Path = []): Path[] {
  const out: Path[] = [];
  for (const [name, a] of Object.entries(block.attributes)) {
    if (!a.requiresReplace) continue;
    if (!valueEquals(prior[name] ?? null, planned[name] ?? null, attributeType(a))) out.push([...base, { attr: name }]);
  }
  for (const [name, b] of Object.entries(block.blocks ?? {})) {
    if (!b.requiresReplace) continue;
    if (!valueEquals(prior[name] ?? null, planned[name] ?? null, nestedBlockType(b.nesting, b.block))) {
      out.push([...base, { attr: name }]);
    }
  }
  for (const [name, nesting, inner] of children(block)) {
    eachNested(nesting, planned[name], undefined, prior[name], (p, _c, pr, step) => {
      if (pr) out.push(...findReplacePaths(inner, pr, p, [...base, { attr: name }, ...step]));
    });
  }
  return out;
}

function nestedBlockType(nesting: Nesting | 'group', block: Block): CtyType {
  const t = blockType(block);
  return nesting === 'single' || nesting === 'group' ? t : [nesting, t];
}

export interface PlanResult {
  planned: CtyObject;
  requiresReplace: Path[];
}

/**
 * Terraform's proposed new state already merges config with prior state for computed attributes; this adds the
 * provider's rules on top. The resource's own modifyPlan hook runs afterwards on the result.
 */
export function planChange(block: Block, prior: CtyObject | null, proposed: CtyObject, config: CtyObject): PlanResult {
  const planned = cloneValue(proposed);
  applyDefaults(block, planned, config);
  keepEquivalentPrior(block, planned, prior);
  if (prior === null) {
    markComputedUnknown(block, planned, config, null, true);
    return { planned, requiresReplace: [] };
  }
  const type = blockType(block);
  if (valueEquals(prior, planned, type)) return { planned, requiresReplace: [] };
  // Mark first so RequiresReplace sees unknowns a change introduces (an unknown may turn out different).
  markComputedUnknown(block, planned, config, prior, false);
  const requiresReplace = findReplacePaths(block, prior, planned);
  if (requiresReplace.length > 0) {
    const fresh = cloneValue(proposed);
    applyDefaults(block, fresh, config);
    markComputedUnknown(block, fresh, config, prior, true);
    return { planned: fresh, requiresReplace };
  }
  return { planned, requiresReplace };
}

/**
 * What apply returns: every value known in the plan exactly as planned (the user's spelling, never a normalised
 * form), every unknown filled from what the resource reported. Paths still unknown afterwards are returned so the
 * caller can report a provider bug instead of sending Terraform an unknown.
 */
export function mergeApplied(planned: CtyValue, result: CtyValue, path: Path = [], missing: Path[] = []): CtyValue {
  if (planned instanceof Unknown) {
    const filled = result === undefined ? null : result;
    if (filled instanceof Unknown) {
      missing.push(path);
      return null;
    }
    return replaceUnknowns(filled, path, missing);
  }
  if (Array.isArray(planned)) {
    if (Array.isArray(result) && result.length === planned.length) {
      return planned.map((el, i) => mergeApplied(el, result[i], [...path, { index: i }], missing));
    }
    return replaceUnknowns(planned, path, missing);
  }
  if (isObj(planned)) {
    const out = record();
    for (const k of Object.keys(planned)) {
      out[k] = mergeApplied(
        planned[k],
        isObj(result) ? result[k] : (undefined as unknown as CtyValue),
        [...path, { attr: k }],
        missing,
      );
    }
    return out;
  }
  return planned;
}

function replaceUnknowns(v: CtyValue, path: Path, missing: Path[]): CtyValue {
  if (v instanceof Unknown) {
    missing.push(path);
    return null;
  }
  if (Array.isArray(v)) return v.map((el, i) => replaceUnknowns(el, [...path, { index: i }], missing));
  if (isObj(v)) {
    const out = record();
    for (const k of Object.keys(v)) out[k] = replaceUnknowns(v[k], [...path, { attr: k }], missing);
    return out;
  }
  return v;
}

/** Fills in every attribute of the block that a resource left out, as null, so the object has its full shape. */
export function completeObject(block: Block, v: CtyObject): CtyObject {
  const out = record();
  for (const name of Object.keys(block.attributes)) out[name] = v[name] === undefined ? null : v[name];
  for (const [name, b] of Object.entries(block.blocks ?? {})) {
    const val = v[name];
    if (val === undefined || val === null) {
      out[name] = b.nesting === 'list' || b.nesting === 'set' ? [] : b.nesting === 'map' ? record() : null;
    } else {
      out[name] = val;
    }
  }
  return out;
}
