// Operations on cty values that the framework needs for planning: equality as Terraform sees it, unknown
// detection, type conformance with a path, and structural transforms.

import { describeValue, expectedName, isCtyRecord } from './describe';
import { CodecError } from './errors';
import { LONE_SURROGATE } from './jsontext';
import { isCtyNumber, numbersEqual, toDecimal } from './numbers';
import { formatPath, type Path, type PathStep } from './path';
import { typeEquals } from './typejson';
import { BigNumber, Dynamic, record, UNKNOWN, Unknown, type CtyType, type CtyValue, type Refinements } from './types';

/**
 * Equality of two values of `type`: sets compare as multisets, numbers by exact numeric value whatever their
 * representation (0.5, BigNumber("0.50")), objects and maps by keys. Two unknowns are equal when their refinements
 * are (an absent refinement equals its no-op value); Dynamic values need equal types.
 */
export function valueEquals(a: CtyValue, b: CtyValue, type: CtyType): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (a instanceof Unknown || b instanceof Unknown) {
    return a instanceof Unknown && b instanceof Unknown && refinementsEqual(a.refinements, b.refinements);
  }
  if (type === 'dynamic') {
    return (
      a instanceof Dynamic &&
      b instanceof Dynamic &&
      typeEquals(a.type, b.type) &&
      valueEquals(a.value, b.value, a.type)
    );
  }
  if (typeof type === 'string') {
    if (type === 'number') return isCtyNumber(a) && isCtyNumber(b) && safeNumbersEqual(a, b);
    return false; // strings and bools are equal only when ===
  }
  switch (type[0]) {
    case 'list':
    case 'tuple': {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
      return a.every((x, i) => valueEquals(x, b[i], type[0] === 'tuple' ? type[1][i] : type[1]));
    }
    case 'set': {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
      const used = new Array<boolean>(b.length).fill(false);
      return a.every((x) => {
        const j = b.findIndex((y, k) => !used[k] && valueEquals(x, y, type[1]));
        if (j < 0) return false;
        used[j] = true;
        return true;
      });
    }
    case 'map': {
      if (!isCtyRecord(a) || !isCtyRecord(b)) return false;
      const ka = Object.keys(a);
      if (ka.length !== Object.keys(b).length) return false;
      return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && valueEquals(a[k], b[k], type[1]));
    }
    case 'object': {
      if (!isCtyRecord(a) || !isCtyRecord(b)) return false;
      return Object.keys(type[1]).every((k) => valueEquals(a[k] ?? null, b[k] ?? null, type[1][k]));
    }
  }
  return false;
}

function safeNumbersEqual(a: number | bigint | BigNumber, b: number | bigint | BigNumber): boolean {
  try {
    return numbersEqual(a, b);
  } catch {
    return false; // an invalid BigNumber equals nothing
  }
}

function refinementsEqual(a: Refinements | undefined, b: Refinements | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  if (x.nullness !== y.nullness) return false;
  if ((x.stringPrefix || '') !== (y.stringPrefix || '')) return false;
  if ((x.lengthLowerBound || 0) !== (y.lengthLowerBound || 0)) return false;
  if (x.lengthUpperBound !== y.lengthUpperBound) return false;
  return boundEqual(x.numberLowerBound, y.numberLowerBound) && boundEqual(x.numberUpperBound, y.numberUpperBound);
}

function boundEqual(a: [CtyValue, boolean] | undefined, b: [CtyValue, boolean] | undefined): boolean {
  if (!a || !b) return a === b;
  return a[1] === b[1] && valueEquals(a[0], b[0], 'number');
}

/** True if the value is or contains an unknown anywhere (inside Dynamic values too). */
export function containsUnknown(v: CtyValue): boolean {
  if (v instanceof Unknown) return true;
  if (v instanceof Dynamic) return containsUnknown(v.value);
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (isCtyRecord(v)) return Object.values(v).some(containsUnknown);
  return false;
}

export function isWhollyKnown(v: CtyValue): boolean {
  return !containsUnknown(v);
}

/** The null of any type: cty nulls carry their type, ours take it from the schema, so null is null. */
export function nullOf(_type: CtyType): null {
  return null;
}

/**
 * What a computed value looks like before apply: for an object type, an object whose every attribute is unknown
 * (so the object itself is known to exist); for any other type, a plain unknown.
 */
export function unknownsFor(type: CtyType): CtyValue {
  if (Array.isArray(type) && type[0] === 'object') {
    return record(Object.keys(type[1]).map((k): [string, CtyValue] => [k, UNKNOWN]));
  }
  return UNKNOWN;
}

/** The first way `v` fails to be a value of `type`, with its path (".disk[0].vdev: expected string, got bool"). */
export function conformsTo(v: CtyValue, type: CtyType): string | undefined {
  try {
    check(v, type, []);
    return undefined;
  } catch (e) {
    if (e instanceof CodecError) return e.message;
    throw e;
  }
}

function check(v: CtyValue, t: CtyType, path: PathStep[]): void {
  if (v === null || v instanceof Unknown) return;
  const fail = (detail: string): never => {
    throw new CodecError(detail, path);
  };
  const mismatch = (): never => fail(`expected ${expectedName(t)}, got ${describeValue(v)}`);
  if (t === 'dynamic') {
    if (!(v instanceof Dynamic)) return mismatch();
    return check(v.value, v.type, path);
  }
  if (typeof t === 'string') {
    switch (t) {
      case 'string':
        if (typeof v !== 'string') return mismatch();
        if (LONE_SURROGATE.test(v)) fail('string contains an unpaired UTF-16 surrogate');
        return;
      case 'bool':
        if (typeof v !== 'boolean') return mismatch();
        return;
      case 'number':
        if (!isCtyNumber(v)) return mismatch();
        if (v instanceof BigNumber) toDecimalAt(v, path);
        return;
      default:
        return fail(`invalid type ${JSON.stringify(t)}`);
    }
  }
  switch (t[0]) {
    case 'list':
    case 'set':
      if (!Array.isArray(v)) return mismatch();
      v.forEach((e, i) => check(e, t[1], [...path, { index: i }]));
      return;
    case 'tuple':
      if (!Array.isArray(v)) return mismatch();
      if (v.length !== t[1].length) fail(`expected a tuple of ${t[1].length} elements, got ${v.length}`);
      v.forEach((e, i) => check(e, t[1][i], [...path, { index: i }]));
      return;
    case 'map':
      if (!isCtyRecord(v)) return mismatch();
      for (const k of Object.keys(v)) check(v[k], t[1], [...path, { key: k }]);
      return;
    case 'object': {
      if (!isCtyRecord(v)) return mismatch();
      const attrs = t[1];
      for (const k of Object.keys(v)) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k)) fail(`unsupported attribute ${JSON.stringify(k)}`);
      }
      for (const k of Object.keys(attrs)) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) fail(`missing attribute ${JSON.stringify(k)}`);
        check(v[k], attrs[k], [...path, { attr: k }]);
      }
      return;
    }
    default:
      fail(`invalid type ${JSON.stringify(t)}`);
  }
}

function toDecimalAt(v: BigNumber, path: Path): void {
  try {
    toDecimal(v);
  } catch {
    throw new CodecError(`invalid number ${JSON.stringify(v.text)}`, path);
  }
}

export type Visitor = (path: Path, value: CtyValue, type: CtyType) => boolean | void;

/**
 * Visits every value in pre-order with its path and type; returning false skips the children. Dynamic values are
 * visited once as the slot (type "dynamic") and their content again with its concrete type at the same path.
 */
export function walk(value: CtyValue, type: CtyType, visit: Visitor): void {
  walkAt([], value, type, visit);
}

function walkAt(path: PathStep[], v: CtyValue, t: CtyType, visit: Visitor): void {
  if (visit(path, v, t) === false) return;
  forEachChild(v, t, (step, child, ct) => walkAt(step ? [...path, step] : path, child, ct, visit));
}

export type Mapper = (path: Path, value: CtyValue, type: CtyType) => CtyValue;

/**
 * Rebuilds a value bottom-up: children are mapped first, then `fn` sees the rebuilt node and returns its
 * replacement (return the argument to keep it). Inputs are never mutated.
 */
export function mapValue(value: CtyValue, type: CtyType, fn: Mapper): CtyValue {
  return mapAt([], value, type, fn);
}

function mapAt(path: PathStep[], v: CtyValue, t: CtyType, fn: Mapper): CtyValue {
  let rebuilt: CtyValue = v;
  if (v instanceof Dynamic) {
    rebuilt = new Dynamic(v.type, mapAt(path, v.value, v.type, fn));
  } else if (Array.isArray(v) && Array.isArray(t)) {
    rebuilt = v.map((e, i) => mapAt([...path, { index: i }], e, childType(t, i), fn));
  } else if (isCtyRecord(v) && Array.isArray(t) && (t[0] === 'map' || t[0] === 'object')) {
    const out = record();
    for (const k of Object.keys(v)) {
      const step: PathStep = t[0] === 'map' ? { key: k } : { attr: k };
      out[k] = mapAt([...path, step], v[k], childType(t, k), fn);
    }
    rebuilt = out;
  }
  return fn(path, rebuilt, t);
}

function forEachChild(
  v: CtyValue,
  t: CtyType,
  f: (step: PathStep | undefined, child: CtyValue, type: CtyType) => void,
): void {
  if (v instanceof Dynamic) return f(undefined, v.value, v.type);
  if (Array.isArray(v) && Array.isArray(t)) {
    v.forEach((e, i) => f({ index: i }, e, childType(t, i)));
  } else if (isCtyRecord(v) && Array.isArray(t) && (t[0] === 'map' || t[0] === 'object')) {
    for (const k of Object.keys(v)) f(t[0] === 'map' ? { key: k } : { attr: k }, v[k], childType(t, k));
  }
}

function childType(t: Exclude<CtyType, string>, at: number | string): CtyType {
  switch (t[0]) {
    case 'list':
    case 'set':
    case 'map':
      return t[1];
    case 'tuple':
      return t[1][at as number] ?? 'dynamic';
    case 'object':
      return t[1][at as string] ?? 'dynamic';
  }
}

/** Follows a path into a value; undefined when a step does not exist (null and unknown have no children). */
export function valueAt(v: CtyValue, path: Path): CtyValue | undefined {
  let cur: CtyValue | undefined = v;
  for (const step of path) {
    if (cur instanceof Dynamic) cur = cur.value;
    if (cur === null || cur === undefined || cur instanceof Unknown) return undefined;
    if ('index' in step) cur = Array.isArray(cur) ? cur[step.index] : undefined;
    else {
      const k = 'attr' in step ? step.attr : step.key;
      cur = isCtyRecord(cur) && Object.prototype.hasOwnProperty.call(cur, k) ? cur[k] : undefined;
    }
  }
  return cur;
}

export { formatPath };
