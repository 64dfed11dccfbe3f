// Typed models derived from schema declarations, as terraform-plugin-framework decodes a plan into a Go struct
// (req.Plan.Get(ctx, &plan)). A resource declares its schema with schema()/block()/attributes(), which keep the
// declaration's literal types (attribute names, cty types, nesting) the way `as const` would without making its
// validator lists readonly; Model<typeof schema> is then the type its values decode into, and a renamed attribute is
// a compile error wherever the model is read or written.
//
// Decoding: null and unknown both become undefined (a resource or posture rule never guesses at a value not known
// yet; the rare check that must tell them apart reads the raw object, see unknownAt). Lists and sets of objects drop
// unknown elements. Numbers become JS numbers.
//
// Encoding: every attribute of the schema is present in the result. An attribute the model leaves out (the key is
// absent) is copied from `base` (the plan on create and update, the prior state on read): what libxl cannot report
// keeps what Terraform already had. An attribute set to null or undefined is null.

import { Unknown, record } from '../protocol/cty/types';
import type { CtyObject, CtyType, CtyValue } from '../protocol/cty/types';
import type { PathStep } from '../protocol/cty/path';
import type { Attribute, Block, Nesting, NestedBlock, Schema } from './schema';
import { numberOf } from './validators';

// ---- declarations that keep their literal types ----

export function attributes<A extends Record<string, Attribute>>(a: A): A {
  return a;
}

export function block<B extends Block>(b: B): B {
  return b;
}

export function nestedBlock<B extends NestedBlock>(b: B): B {
  return b;
}

export function schema<S extends Schema>(s: S): S {
  return s;
}

// ---- the model type of a declaration ----

type ValueOfType<T> = CtyType extends T
  ? CtyValue
  : T extends 'string'
    ? string
    : T extends 'number'
      ? number
      : T extends 'bool'
        ? boolean
        : T extends readonly ['list' | 'set', infer E]
          ? ValueOfType<E>[]
          : T extends readonly ['map', infer E]
            ? Record<string, ValueOfType<E>>
            : T extends readonly ['object', infer O]
              ? { -readonly [K in keyof O]?: ValueOfType<O[K]> }
              : CtyValue;

type Nested<N, O> = N extends 'single' | 'group' ? O : N extends 'map' ? Record<string, O> : O[];

type AttributeValue<A> = A extends { nested: { nesting: infer N; attributes: infer As } }
  ? Nested<N, ObjectModel<As, {}>>
  : A extends { type: infer T }
    ? ValueOfType<T>
    : never;

type BlockValue<B> = B extends { nesting: infer N; block: infer Inner } ? Nested<N, BlockModel<Inner>> : never;

type ObjectModel<As, Bs> = string extends keyof As
  ? Record<string, unknown>
  : { -readonly [K in keyof As]?: AttributeValue<As[K]> } & { -readonly [K in keyof Bs]?: BlockValue<Bs[K]> };

/** The model of one block: every attribute and nested block optional (null or unknown decode as undefined). */
export type BlockModel<B> = B extends { attributes: infer As; blocks: infer Bs }
  ? ObjectModel<As, Bs>
  : B extends { attributes: infer As }
    ? ObjectModel<As, {}>
    : never;

/** The typed values of a resource, data source or provider declared with schema(). */
export type Model<S extends { block: Block }> = BlockModel<S['block']>;

/** What a resource reports: a model whose attributes may also be null (present, but no value). */
export type Reported<M> = { [K in keyof M]?: ReportedValue<NonNullable<M[K]>> | null };
type ReportedValue<V> = V extends readonly (infer E)[] ? ReportedValue<E>[] : V extends object ? Reported<V> : V;

// ---- decoding ----

function isObj(v: unknown): v is CtyObject {
  return v !== null && typeof v === 'object' && !(v instanceof Unknown) && !Array.isArray(v);
}

function decodeType(t: CtyType, v: CtyValue): unknown {
  if (v === null || v instanceof Unknown) return undefined;
  if (t === 'string') return typeof v === 'string' ? v : undefined;
  if (t === 'bool') return typeof v === 'boolean' ? v : undefined;
  if (t === 'number') return numberOf(v);
  if (Array.isArray(t) && (t[0] === 'list' || t[0] === 'set') && Array.isArray(v)) {
    const el = t[1] as CtyType;
    return v.filter((x) => x !== null && !(x instanceof Unknown)).map((x) => decodeType(el, x));
  }
  if (Array.isArray(t) && t[0] === 'map' && isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      if (x !== null && !(x instanceof Unknown)) out[k] = decodeType(t[1] as CtyType, x);
    return out;
  }
  if (Array.isArray(t) && t[0] === 'object' && isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, et] of Object.entries(t[1] as Record<string, CtyType>)) {
      const x = decodeType(et, v[k] ?? null);
      if (x !== undefined) out[k] = x;
    }
    return out;
  }
  return v;
}

function decodeNested(nesting: Nesting | 'group', inner: Block, v: CtyValue): unknown {
  if (v === null || v instanceof Unknown) return undefined;
  if (nesting === 'single' || nesting === 'group') return isObj(v) ? decodeBlock(inner, v) : undefined;
  if (nesting === 'map') {
    if (!isObj(v)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (isObj(x)) out[k] = decodeBlock(inner, x);
    return out;
  }
  return Array.isArray(v) ? v.filter(isObj).map((x) => decodeBlock(inner, x)) : undefined;
}

function decodeBlock(b: Block, v: CtyObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(b.attributes)) {
    const x = a.nested
      ? decodeNested(a.nested.nesting, { attributes: a.nested.attributes }, v[name] ?? null)
      : decodeType(a.type, v[name] ?? null);
    if (x !== undefined) out[name] = x;
  }
  for (const [name, nb] of Object.entries(b.blocks ?? {})) {
    const x = decodeNested(nb.nesting, nb.block, v[name] ?? null);
    if (x !== undefined) out[name] = x;
  }
  return out;
}

/** The typed model of a block's values (config, plan or state). */
export function decode<B extends Block>(b: B, v: CtyObject): BlockModel<B> {
  return decodeBlock(b, v) as unknown as BlockModel<B>;
}

/** True when the attribute's value is not known yet (only plans and configurations have unknowns). */
export function unknownAt<B extends Block>(_b: B, v: CtyObject, name: keyof BlockModel<B> & string): boolean {
  return v[name] instanceof Unknown;
}

// ---- encoding ----

function encodeType(t: CtyType, v: unknown): CtyValue {
  if (v === undefined || v === null) return null;
  if (Array.isArray(t) && (t[0] === 'list' || t[0] === 'set') && Array.isArray(v))
    return v.map((x) => encodeType(t[1] as CtyType, x));
  if (Array.isArray(t) && t[0] === 'map' && typeof v === 'object') {
    const out = record<CtyValue>();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = encodeType(t[1] as CtyType, x);
    return out;
  }
  // Every attribute of an object type is present, as cty requires.
  if (Array.isArray(t) && t[0] === 'object' && typeof v === 'object') {
    const out = record<CtyValue>();
    for (const [k, et] of Object.entries(t[1] as Record<string, CtyType>))
      out[k] = encodeType(et, (v as Record<string, unknown>)[k]);
    return out;
  }
  return v as CtyValue;
}

function empty(nesting: Nesting | 'group'): CtyValue {
  return nesting === 'list' || nesting === 'set' ? [] : nesting === 'map' ? record() : null;
}

function encodeNested(nesting: Nesting | 'group', inner: Block, v: unknown): CtyValue {
  if (v === undefined || v === null) return empty(nesting);
  if (nesting === 'single' || nesting === 'group') return encodeBlock(inner, v as Record<string, unknown>, null);
  if (nesting === 'map') {
    const out = record<CtyValue>();
    for (const [k, x] of Object.entries(v as Record<string, unknown>))
      out[k] = encodeBlock(inner, x as Record<string, unknown>, null);
    return out;
  }
  return (v as Record<string, unknown>[]).map((x) => encodeBlock(inner, x, null));
}

function encodeBlock(b: Block, m: Record<string, unknown>, base: CtyObject | null): CtyObject {
  const out = record<CtyValue>();
  for (const [name, a] of Object.entries(b.attributes)) {
    if (!(name in m) && base && base[name] !== undefined) out[name] = base[name];
    else if (a.nested)
      out[name] = m[name] == null ? null : encodeNested(a.nested.nesting, { attributes: a.nested.attributes }, m[name]);
    else out[name] = encodeType(a.type, m[name]);
  }
  for (const [name, nb] of Object.entries(b.blocks ?? {})) {
    if (!(name in m) && base && base[name] !== undefined) out[name] = base[name];
    else out[name] = encodeNested(nb.nesting, nb.block, m[name]);
  }
  return out;
}

/**
 * The cty object of a model, with every attribute of the block: those the model leaves out come from `base` (the
 * plan on create and update, the prior state on read), so what the host cannot report keeps what Terraform had.
 */
export function encode<B extends Block>(b: B, m: Reported<BlockModel<B>>, base: CtyObject | null = null): CtyObject {
  return encodeBlock(b, m as unknown as Record<string, unknown>, base);
}

/** One step of a diagnostic path naming an attribute of model M: a renamed attribute is a compile error here too. */
export function attrOf<M>(name: keyof M & string): PathStep {
  return { attr: name };
}

/**
 * Sets the attributes `m` has in `target` (a plan a resource's modifyPlan changes in place), encoded as the schema
 * says; the others are left as they are.
 */
export function assign<B extends Block>(b: B, target: CtyObject, m: Reported<BlockModel<B>>): void {
  const encoded = encodeBlock(b, m as unknown as Record<string, unknown>, null);
  for (const k of Object.keys(m)) if (k in encoded) target[k] = encoded[k];
}

/**
 * The objects of a list or set of blocks as they are, in the order decode() keeps them: for the rare check that must
 * tell an unknown value in one of them from an absent one (see unknownAt).
 */
export function rawElements<B extends Block>(_b: B, v: CtyObject, name: keyof BlockModel<B> & string): CtyObject[] {
  const x = v[name];
  return Array.isArray(x) ? x.filter(isObj) : [];
}
