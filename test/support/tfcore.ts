// What Terraform core does around a provider's answers, written from its documented rules
// (internal/plans/objchange: ProposedNew, AssertPlanValid, AssertObjectCompatible), so tests can hold the provider
// to the same checks Terraform applies: "Provider produced invalid plan", "inconsistent final plan",
// "inconsistent result after apply".

import { Unknown, record } from '../../provider/protocol/cty/types';
import type { CtyObject, CtyType, CtyValue } from '../../provider/protocol/cty/types';
import { valueEquals } from '../../provider/protocol/cty/values';

export interface WireAttribute {
  name: string;
  type: CtyType | null;
  nested: { nesting: number; attributes: WireAttribute[] } | null;
  required: boolean;
  optional: boolean;
  computed: boolean;
  /** Terraform >= 1.11: passed in config only, null in every plan and state. */
  writeOnly: boolean;
}

export interface WireBlock {
  attributes: WireAttribute[];
  blockTypes: Array<{ typeName: string; nesting: number; block: WireBlock }>;
}

const NEST_SINGLE = 1;
const NEST_LIST = 2;
const NEST_SET = 3;
const NEST_MAP = 4;
const NEST_GROUP = 5;

/** Reads the Schema.Block message a provider sent (generated protobufjs object) into our model. */
export function wireBlock(msg: any): WireBlock {
  const attr = (a: any): WireAttribute => ({
    name: a.name,
    type: a.type && a.type.length ? (JSON.parse(Buffer.from(a.type).toString('utf8')) as CtyType) : null,
    nested: a.nestedType
      ? { nesting: a.nestedType.nesting, attributes: (a.nestedType.attributes ?? []).map(attr) }
      : null,
    required: !!a.required,
    optional: !!a.optional,
    computed: !!a.computed,
    writeOnly: !!a.writeOnly,
  });
  return {
    attributes: (msg?.attributes ?? []).map(attr),
    blockTypes: (msg?.blockTypes ?? []).map((b: any) => ({
      typeName: b.typeName,
      nesting: b.nesting,
      block: wireBlock(b.block),
    })),
  };
}

function nestingType(nesting: number, inner: CtyType): CtyType {
  if (nesting === NEST_LIST) return ['list', inner];
  if (nesting === NEST_SET) return ['set', inner];
  if (nesting === NEST_MAP) return ['map', inner];
  return inner;
}

function attrType(a: WireAttribute): CtyType {
  if (a.type) return a.type;
  const inner = objectType(a.nested!.attributes, []);
  return nestingType(a.nested!.nesting, inner);
}

function objectType(attrs: WireAttribute[], blocks: WireBlock['blockTypes']): CtyType {
  const out: Record<string, CtyType> = {};
  for (const a of attrs) out[a.name] = attrType(a);
  for (const b of blocks) out[b.typeName] = nestingType(b.nesting, wireBlockType(b.block));
  return ['object', out];
}

export function wireBlockType(b: WireBlock): CtyType {
  return objectType(b.attributes, b.blockTypes);
}

function isObj(v: CtyValue | undefined): v is CtyObject {
  return v !== null && v !== undefined && typeof v === 'object' && Object.getPrototypeOf(v) === null;
}

function proposedNested(nesting: number, inner: WireBlock, prior: CtyValue, config: CtyValue): CtyValue {
  if (config === null || config instanceof Unknown) return config;
  if (nesting === NEST_SINGLE || nesting === NEST_GROUP) {
    return proposedNew(inner, isObj(prior) ? prior : null, config as CtyObject);
  }
  if (nesting === NEST_LIST && Array.isArray(config)) {
    return config.map((el, i) =>
      proposedNew(inner, Array.isArray(prior) && isObj(prior[i]) ? (prior[i] as CtyObject) : null, el as CtyObject),
    );
  }
  if (nesting === NEST_MAP && isObj(config)) {
    const out = record();
    for (const k of Object.keys(config))
      out[k] = proposedNew(inner, isObj(prior) && isObj(prior[k]) ? prior[k] : null, config[k] as CtyObject);
    return out;
  }
  // Sets: Terraform matches prior elements by their non-computed values; for our tests config elements suffice.
  return Array.isArray(config) ? config.map((el) => proposedNew(inner, null, el as CtyObject)) : config;
}

/** ProposedNew: config, with computed attributes the config leaves null taken from prior state. */
export function proposedNew(block: WireBlock, prior: CtyObject | null, config: CtyObject): CtyObject {
  const out = record();
  for (const a of block.attributes) {
    const c = config[a.name] ?? null;
    const p = prior ? (prior[a.name] ?? null) : null;
    if (a.computed && c === null) {
      out[a.name] = prior ? p : null;
    } else if (a.nested && c !== null && !(c instanceof Unknown)) {
      const inner: WireBlock = { attributes: a.nested.attributes, blockTypes: [] };
      out[a.name] = proposedNested(a.nested.nesting, inner, p, c);
    } else {
      out[a.name] = c;
    }
  }
  for (const b of block.blockTypes) {
    out[b.typeName] = proposedNested(
      b.nesting,
      b.block,
      prior ? (prior[b.typeName] ?? null) : null,
      config[b.typeName] ?? null,
    );
  }
  return out;
}

function fmt(path: string[]): string {
  return path.join('') || '(root)';
}

/** AssertPlanValid: returns Terraform's complaints, empty when the plan would be accepted. */
export function assertPlanValid(
  block: WireBlock,
  prior: CtyObject | null,
  config: CtyObject,
  planned: CtyObject,
  path: string[] = [],
): string[] {
  const errs: string[] = [];
  for (const a of block.attributes) {
    const p = [...path, `.${a.name}`];
    const c = config[a.name] ?? null;
    const pl = planned[a.name] ?? null;
    const pr = prior ? (prior[a.name] ?? null) : null;
    const t = attrType(a);
    if (a.writeOnly) {
      if (pl !== null) errs.push(`${fmt(p)}: planned value for write-only attribute must be null`);
      continue;
    }
    if (valueEquals(pl, c, t)) continue;
    if (pr !== null && c !== null && valueEquals(pl, pr, t)) continue;
    if (a.computed && !a.optional) continue;
    if (c === null && a.computed) continue;
    if (c === null && pl !== null) {
      errs.push(`${fmt(p)}: planned value for a non-computed attribute`);
      continue;
    }
    if (c instanceof Unknown) {
      if (!(pl instanceof Unknown)) errs.push(`${fmt(p)}: planned value must be unknown when config is unknown`);
      continue;
    }
    if (a.nested && Array.isArray(c) && Array.isArray(pl) && c.length === pl.length) {
      const inner: WireBlock = { attributes: a.nested.attributes, blockTypes: [] };
      c.forEach((el, i) =>
        errs.push(
          ...assertPlanValid(
            inner,
            Array.isArray(pr) && isObj(pr[i]) ? (pr[i] as CtyObject) : null,
            el as CtyObject,
            pl[i] as CtyObject,
            [...p, `[${i}]`],
          ),
        ),
      );
      continue;
    }
    if (a.nested && isObj(c) && isObj(pl) && a.nested.nesting === NEST_SINGLE) {
      const inner: WireBlock = { attributes: a.nested.attributes, blockTypes: [] };
      errs.push(...assertPlanValid(inner, isObj(pr) ? pr : null, c, pl, p));
      continue;
    }
    errs.push(
      `${fmt(p)}: planned value ${show(pl)} does not match config value ${show(c)}${pr !== null ? ` nor prior value ${show(pr)}` : ''}`,
    );
  }
  for (const b of block.blockTypes) {
    const p = [...path, `.${b.typeName}`];
    const c = config[b.typeName] ?? null;
    const pl = planned[b.typeName] ?? null;
    const pr = prior ? (prior[b.typeName] ?? null) : null;
    if ((b.nesting === NEST_LIST || b.nesting === NEST_SET) && (pl === null || pl instanceof Unknown)) {
      errs.push(`${fmt(p)}: attempt to plan null or unknown for a block (blocks are never null)`);
      continue;
    }
    if (b.nesting === NEST_LIST && Array.isArray(c) && Array.isArray(pl)) {
      if (c.length !== pl.length) errs.push(`${fmt(p)}: block count changed from ${c.length} to ${pl.length}`);
      else
        c.forEach((el, i) =>
          errs.push(
            ...assertPlanValid(
              b.block,
              Array.isArray(pr) && isObj(pr[i]) ? (pr[i] as CtyObject) : null,
              el as CtyObject,
              pl[i] as CtyObject,
              [...p, `[${i}]`],
            ),
          ),
        );
    } else if ((b.nesting === NEST_SINGLE || b.nesting === NEST_GROUP) && isObj(c) && isObj(pl)) {
      errs.push(...assertPlanValid(b.block, isObj(pr) ? pr : null, c, pl, p));
    }
  }
  return errs;
}

/** Terraform 1.11's check on plans and results: write-only attributes hold null, at every depth. */
export function writeOnlyViolations(block: WireBlock, v: CtyObject | null, path: string[] = []): string[] {
  if (v === null) return [];
  const errs: string[] = [];
  const walk = (nesting: number, inner: WireBlock, x: CtyValue, p: string[]) => {
    if (x === null || x instanceof Unknown) return;
    if (nesting === NEST_SINGLE || nesting === NEST_GROUP) {
      if (isObj(x)) errs.push(...writeOnlyViolations(inner, x, p));
      return;
    }
    if (Array.isArray(x))
      x.forEach((el, i) => isObj(el) && errs.push(...writeOnlyViolations(inner, el, [...p, `[${i}]`])));
    else if (isObj(x))
      for (const k of Object.keys(x))
        if (isObj(x[k])) errs.push(...writeOnlyViolations(inner, x[k] as CtyObject, [...p, `["${k}"]`]));
  };
  for (const a of block.attributes) {
    const p = [...path, `.${a.name}`];
    if (a.writeOnly && (v[a.name] ?? null) !== null) errs.push(`${fmt(p)}: write-only attribute is not null`);
    if (a.nested) walk(a.nested.nesting, { attributes: a.nested.attributes, blockTypes: [] }, v[a.name] ?? null, p);
  }
  for (const b of block.blockTypes) walk(b.nesting, b.block, v[b.typeName] ?? null, [...path, `.${b.typeName}`]);
  return errs;
}

/** AssertObjectCompatible: every value known in the plan must come back identical; the result must be wholly known. */
export function assertObjectCompatible(
  type: CtyType,
  planned: CtyValue,
  actual: CtyValue,
  path: string[] = [],
  finalPlan = false,
): string[] {
  // For the final plan (finalPlan = true) a value unknown in the first plan may stay unknown.
  if (planned instanceof Unknown && finalPlan) return [];
  if (actual instanceof Unknown) return [`${fmt(path)}: provider returned an unknown value after apply`];
  if (planned instanceof Unknown)
    return containsUnknownDeep(actual) ? [`${fmt(path)}: unknown inside the applied value`] : [];
  if (planned === null || actual === null) {
    return planned === actual ? [] : [`${fmt(path)}: was ${show(planned)}, but now ${show(actual)}`];
  }
  if (Array.isArray(type) && type[0] === 'object') {
    const attrs = type[1];
    const errs: string[] = [];
    for (const k of Object.keys(attrs)) {
      errs.push(
        ...assertObjectCompatible(
          attrs[k],
          (planned as CtyObject)[k] ?? null,
          (actual as CtyObject)[k] ?? null,
          [...path, `.${k}`],
          finalPlan,
        ),
      );
    }
    return errs;
  }
  if (
    Array.isArray(type) &&
    (type[0] === 'list' || type[0] === 'tuple') &&
    Array.isArray(planned) &&
    Array.isArray(actual)
  ) {
    if (planned.length !== actual.length)
      return [`${fmt(path)}: length changed from ${planned.length} to ${actual.length}`];
    return planned.flatMap((el, i) =>
      assertObjectCompatible(
        type[0] === 'list' ? (type[1] as CtyType) : (type[1] as CtyType[])[i],
        el,
        actual[i],
        [...path, `[${i}]`],
        finalPlan,
      ),
    );
  }
  if (Array.isArray(type) && type[0] === 'map' && isObj(planned) && isObj(actual)) {
    const keys = new Set([...Object.keys(planned), ...Object.keys(actual)]);
    return [...keys].flatMap((k) =>
      assertObjectCompatible(type[1], planned[k] ?? null, actual[k] ?? null, [...path, `["${k}"]`], finalPlan),
    );
  }
  if (containsUnknownDeep(planned)) return containsUnknownDeep(actual) ? [`${fmt(path)}: unknown after apply`] : [];
  return valueEquals(planned, actual, type) ? [] : [`${fmt(path)}: was ${show(planned)}, but now ${show(actual)}`];
}

export function containsUnknownDeep(v: CtyValue): boolean {
  if (v instanceof Unknown) return true;
  if (Array.isArray(v)) return v.some(containsUnknownDeep);
  if (isObj(v)) return Object.keys(v).some((k) => containsUnknownDeep(v[k]));
  return false;
}

function show(v: CtyValue): string {
  if (v instanceof Unknown) return '(unknown)';
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Unknown ? '(unknown)' : x));
}
