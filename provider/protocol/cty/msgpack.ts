// cty values <-> msgpack, byte-compatible with go-cty's msgpack package (Terraform's DynamicValue encoding).
// The walk is directed by the type, as in go-cty: objects are maps with every attribute (sorted), unknowns are
// extensions, numbers take the narrowest exact form, and dynamic-typed slots carry [type JSON, value] pairs.

import { CodecError } from './errors';
import { describeHeader, MsgpackReader, MsgpackWriter, type Header } from './msgpackio';
import { numberFromInteger, numberFromText, wireNumber, isCtyNumber } from './numbers';
import type { PathStep } from './path';
import { parseTypeJson, typeToJsonBytes } from './typejson';
import { compareCodePoints, LONE_SURROGATE } from './jsontext';
import {
  Dynamic,
  record,
  UNKNOWN,
  Unknown,
  type CtyObject,
  type CtyType,
  type CtyValue,
  type Refinements,
} from './types';
import { describeValue, expectedName, isCtyRecord } from './describe';

/** The walk's one path (see encodeValue). */
type Path = PathStep[];

/** Extension type go-cty (>= 1.13) uses for unknowns that carry refinements. */
export const REFINED_UNKNOWN_EXT = 12;
const MAX_DEPTH = 500;

const enum RefinementKey {
  Nullness = 1,
  StringPrefix = 2,
  NumberMin = 3,
  NumberMax = 4,
  LengthMin = 5,
  LengthMax = 6,
}

const BOUND_TYPE: CtyType = ['tuple', ['number', 'bool']];

export function encodeMsgpack(value: CtyValue, type: CtyType): Uint8Array {
  const w = new MsgpackWriter();
  encodeValue(w, value, type, [], 0);
  return w.bytes();
}

export function decodeMsgpack(bytes: Uint8Array, type: CtyType): CtyValue {
  const r = new MsgpackReader(bytes);
  const value = decodeValue(r, type, [], 0);
  if (r.remaining !== 0) throw new CodecError(`${r.remaining} unexpected bytes after the msgpack value`);
  return value;
}

// ---------------------------------------------------------------------------------------------------- encoding

// `path` is one stack for the whole walk (pushed before a child, popped after; CodecError copies it): a new array per
// element was most of what encoding and decoding a plan's values allocated.
function encodeValue(w: MsgpackWriter, v: CtyValue, t: CtyType, path: Path, depth: number): void {
  if (depth > MAX_DEPTH) throw new CodecError('value nested too deeply', path);
  if (t === 'dynamic') {
    if (v === null) return w.nil();
    // A wholly unknown dynamic value has no type to send, so it is the bare extension; refinements cannot apply.
    if (v instanceof Unknown) return w.ext(0, new Uint8Array(1));
    if (!(v instanceof Dynamic)) throw new CodecError(`expected a Dynamic value, got ${describeValue(v)}`, path);
    w.arrayHeader(2);
    w.bin(typeToJsonBytes(v.type));
    return encodeValue(w, v.value, v.type, path, depth + 1);
  }
  if (v === null) return w.nil();
  if (v instanceof Unknown) return encodeUnknown(w, v, t, path);
  if (typeof t === 'string') return encodePrimitive(w, v, t, path);
  switch (t[0]) {
    case 'list':
    case 'set': {
      if (!Array.isArray(v)) throw mismatch(t, v, path);
      w.arrayHeader(v.length);
      for (let i = 0; i < v.length; i++) {
        path.push({ index: i });
        encodeValue(w, v[i], t[1], path, depth + 1);
        path.pop();
      }
      return;
    }
    case 'tuple': {
      if (!Array.isArray(v)) throw mismatch(t, v, path);
      if (v.length !== t[1].length)
        throw new CodecError(`expected a tuple of ${t[1].length} elements, got ${v.length}`, path);
      w.arrayHeader(v.length);
      for (let i = 0; i < v.length; i++) {
        path.push({ index: i });
        encodeValue(w, v[i], t[1][i], path, depth + 1);
        path.pop();
      }
      return;
    }
    case 'map': {
      if (!isCtyRecord(v)) throw mismatch(t, v, path);
      const keys = Object.keys(v).sort(compareCodePoints);
      w.mapHeader(keys.length);
      for (const k of keys) {
        encodeString(w, k, path);
        path.push({ key: k });
        encodeValue(w, v[k], t[1], path, depth + 1);
        path.pop();
      }
      return;
    }
    case 'object': {
      if (!isCtyRecord(v)) throw mismatch(t, v, path);
      const attrs = t[1];
      for (const k of Object.keys(v)) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k))
          throw new CodecError(`unsupported attribute ${JSON.stringify(k)}`, path);
      }
      const names = sortedNames(attrs);
      w.mapHeader(names.length);
      for (const k of names) {
        if (!Object.prototype.hasOwnProperty.call(v, k))
          throw new CodecError(`missing attribute ${JSON.stringify(k)}`, path);
        encodeString(w, k, path);
        path.push({ attr: k });
        encodeValue(w, v[k], attrs[k], path, depth + 1);
        path.pop();
      }
      return;
    }
    default:
      throw new CodecError(`invalid type ${JSON.stringify(t)}`, path);
  }
}

/** An object type's attribute names in wire order, sorted once per type (a type is made once per schema). */
const namesOf = new WeakMap<object, string[]>();
function sortedNames(attrs: Record<string, CtyType>): string[] {
  let names = namesOf.get(attrs);
  if (!names) namesOf.set(attrs, (names = Object.keys(attrs).sort(compareCodePoints)));
  return names;
}

function encodePrimitive(w: MsgpackWriter, v: CtyValue, t: CtyType & string, path: Path): void {
  switch (t) {
    case 'string':
      if (typeof v !== 'string') throw mismatch(t, v, path);
      return encodeString(w, v, path);
    case 'bool':
      if (typeof v !== 'boolean') throw mismatch(t, v, path);
      return w.bool(v);
    case 'number': {
      if (!isCtyNumber(v)) throw mismatch(t, v, path);
      const n = wrap(path, () => wireNumber(v));
      if (n.kind === 'int') w.int(n.value);
      else if (n.kind === 'float') w.float64(n.value);
      else w.str(n.text);
      return;
    }
    default:
      throw new CodecError(`invalid type ${JSON.stringify(t)}`, path);
  }
}

function encodeString(w: MsgpackWriter, s: string, path: Path): void {
  // Go strings are UTF-8; a lone surrogate would silently become U+FFFD and change the value.
  if (LONE_SURROGATE.test(s)) throw new CodecError('string contains an unpaired UTF-16 surrogate', path);
  w.str(s);
}

function encodeUnknown(w: MsgpackWriter, u: Unknown, t: CtyType, path: Path): void {
  const r = u.refinements;
  const body = new MsgpackWriter();
  let count = 0;
  if (r) {
    if (r.nullness !== undefined) {
      count++;
      body.int(BigInt(RefinementKey.Nullness));
      body.bool(r.nullness);
    }
    if (t === 'number') {
      const lower = r.numberLowerBound;
      const upper = r.numberUpperBound;
      if (lower && lower[0] !== -Infinity) {
        count++;
        body.int(BigInt(RefinementKey.NumberMin));
        encodeValue(body, lower, BOUND_TYPE, path, 0);
      }
      if (upper && upper[0] !== Infinity) {
        count++;
        body.int(BigInt(RefinementKey.NumberMax));
        encodeValue(body, upper, BOUND_TYPE, path, 0);
      }
    } else if (t === 'string') {
      if (r.stringPrefix) {
        count++;
        body.int(BigInt(RefinementKey.StringPrefix));
        encodeString(body, r.stringPrefix, path);
      }
    } else if (isCollection(t)) {
      if (r.lengthLowerBound) {
        count++;
        body.int(BigInt(RefinementKey.LengthMin));
        body.int(lengthBound(r.lengthLowerBound, path));
      }
      if (r.lengthUpperBound !== undefined) {
        count++;
        body.int(BigInt(RefinementKey.LengthMax));
        body.int(lengthBound(r.lengthUpperBound, path));
      }
    }
  }
  if (count === 0) return w.ext(0, new Uint8Array(1));
  const payload = new MsgpackWriter();
  payload.mapHeader(count);
  payload.raw(body.bytes());
  w.ext(REFINED_UNKNOWN_EXT, payload.bytes());
}

function lengthBound(n: number, path: Path): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new CodecError(`invalid length refinement ${n}`, path);
  return BigInt(n);
}

// ---------------------------------------------------------------------------------------------------- decoding

function decodeValue(r: MsgpackReader, t: CtyType, path: Path, depth: number): CtyValue {
  if (depth > MAX_DEPTH) throw new CodecError('value nested too deeply', path);
  const h = r.header(path);
  if (h.t === 'nil') return null;
  if (h.t === 'ext') return decodeUnknown(r, h, t, path);
  if (t === 'dynamic') return decodeDynamic(r, h, path, depth);
  if (typeof t === 'string') return decodePrimitive(r, h, t, path);
  switch (t[0]) {
    case 'list':
    case 'set': {
      if (h.t !== 'array') throw headerMismatch(t, h, path);
      const out: CtyValue[] = [];
      for (let i = 0; i < h.length; i++) {
        path.push({ index: i });
        out.push(decodeValue(r, t[1], path, depth + 1));
        path.pop();
      }
      return out;
    }
    case 'tuple': {
      if (h.t !== 'array') throw headerMismatch(t, h, path);
      if (h.length !== t[1].length)
        throw new CodecError(`expected a tuple of ${t[1].length} elements, got ${h.length}`, path);
      const out: CtyValue[] = [];
      for (let i = 0; i < t[1].length; i++) {
        path.push({ index: i });
        out.push(decodeValue(r, t[1][i], path, depth + 1));
        path.pop();
      }
      return out;
    }
    case 'map': {
      if (h.t !== 'map') throw headerMismatch(t, h, path);
      const out = record();
      for (let i = 0; i < h.length; i++) {
        const k = decodeKey(r, path);
        if (Object.prototype.hasOwnProperty.call(out, k))
          throw new CodecError(`duplicate map key ${JSON.stringify(k)}`, path);
        path.push({ key: k });
        out[k] = decodeValue(r, t[1], path, depth + 1);
        path.pop();
      }
      return out;
    }
    case 'object': {
      if (h.t !== 'map') throw headerMismatch(t, h, path);
      const attrs = t[1];
      const out: CtyObject = record();
      for (let i = 0; i < h.length; i++) {
        const k = decodeKey(r, path);
        if (!Object.prototype.hasOwnProperty.call(attrs, k))
          throw new CodecError(`unsupported attribute ${JSON.stringify(k)}`, path);
        if (Object.prototype.hasOwnProperty.call(out, k))
          throw new CodecError(`duplicate attribute ${JSON.stringify(k)}`, path);
        path.push({ attr: k });
        out[k] = decodeValue(r, attrs[k], path, depth + 1);
        path.pop();
      }
      for (const k of Object.keys(attrs)) {
        if (!Object.prototype.hasOwnProperty.call(out, k))
          throw new CodecError(`missing attribute ${JSON.stringify(k)}`, path);
      }
      return out;
    }
    default:
      throw new CodecError(`invalid type ${JSON.stringify(t)}`, path);
  }
}

function decodePrimitive(r: MsgpackReader, h: Header, t: CtyType & string, path: Path): CtyValue {
  switch (t) {
    case 'string':
      if (h.t !== 'str' && h.t !== 'bin') throw headerMismatch(t, h, path);
      return r.text(h.length, path);
    case 'bool':
      if (h.t !== 'bool') throw headerMismatch(t, h, path);
      return h.value;
    case 'number':
      if (h.t === 'int') return numberFromInteger(h.value);
      if (h.t === 'float') {
        if (Number.isNaN(h.value)) throw new CodecError('NaN is not a cty number', path);
        return h.value;
      }
      if (h.t === 'str') {
        const text = r.text(h.length, path);
        return wrap(path, () => numberFromText(text));
      }
      throw headerMismatch(t, h, path);
    default:
      throw new CodecError(`invalid type ${JSON.stringify(t)}`, path);
  }
}

function decodeKey(r: MsgpackReader, path: Path): string {
  const h = r.header(path);
  if (h.t !== 'str' && h.t !== 'bin') throw new CodecError(`expected a string map key, got ${describeHeader(h)}`, path);
  return r.text(h.length, path);
}

function decodeDynamic(r: MsgpackReader, h: Header, path: Path, depth: number): CtyValue {
  if (h.t !== 'array' || h.length !== 2) {
    throw new CodecError(`expected a dynamic value ([type, value] pair), got ${describeHeader(h)}`, path);
  }
  const th = r.header(path);
  if (th.t !== 'str' && th.t !== 'bin')
    throw new CodecError(`expected dynamic value type JSON, got ${describeHeader(th)}`, path);
  const typeBytes = r.raw(th.length, path);
  const type = wrap(path, () => parseTypeJson(typeBytes));
  return new Dynamic(type, decodeValue(r, type, path, depth + 1));
}

function decodeUnknown(r: MsgpackReader, h: Header & { t: 'ext' }, t: CtyType, path: Path): Unknown {
  const payload = r.raw(h.length, path);
  // go-cty writes a bare unknown as a one-byte extension; any extension is an unknown, only type 12 says more.
  if (h.type !== REFINED_UNKNOWN_EXT || h.length <= 1 || t === 'dynamic') return UNKNOWN;
  const refinements = decodeRefinements(payload, t, path);
  return Object.keys(refinements).length ? new Unknown(refinements) : UNKNOWN;
}

function decodeRefinements(payload: Uint8Array, t: CtyType, path: Path): Refinements {
  const r = new MsgpackReader(payload);
  const h = r.header(path);
  if (h.t !== 'map') throw new CodecError('unknown value refinements are not a msgpack map', path);
  const out: Refinements = {};
  for (let i = 0; i < h.length; i++) {
    const kh = r.header(path);
    if (kh.t !== 'int') throw new CodecError('unknown value refinement key is not an integer', path);
    switch (Number(kh.value)) {
      case RefinementKey.Nullness: {
        const v = r.header(path);
        if (v.t !== 'bool') throw new CodecError('null refinement is not a bool', path);
        out.nullness = v.value;
        break;
      }
      case RefinementKey.StringPrefix: {
        if (t !== 'string') throw new CodecError('string prefix refinement on a non-string value', path);
        const v = r.header(path);
        if (v.t !== 'str') throw new CodecError('string prefix refinement is not a string', path);
        out.stringPrefix = r.text(v.length, path);
        break;
      }
      case RefinementKey.NumberMin:
      case RefinementKey.NumberMax: {
        if (t !== 'number') throw new CodecError('number bound refinement on a non-number value', path);
        const bound = decodeValue(r, BOUND_TYPE, path, 0);
        if (!Array.isArray(bound) || !isCtyNumber(bound[0]) || typeof bound[1] !== 'boolean') {
          throw new CodecError('number bound refinement is not a [number, bool] pair', path);
        }
        const pair: [CtyValue, boolean] = [bound[0], bound[1]];
        if (Number(kh.value) === RefinementKey.NumberMin) out.numberLowerBound = pair;
        else out.numberUpperBound = pair;
        break;
      }
      case RefinementKey.LengthMin:
      case RefinementKey.LengthMax: {
        if (!isCollection(t)) throw new CodecError('length refinement on a non-collection value', path);
        const v = r.header(path);
        if (v.t !== 'int' || v.value < 0n || v.value > BigInt(Number.MAX_SAFE_INTEGER)) {
          throw new CodecError('length refinement is not a non-negative integer', path);
        }
        if (Number(kh.value) === RefinementKey.LengthMin) out.lengthLowerBound = Number(v.value);
        else out.lengthUpperBound = Number(v.value);
        break;
      }
      default:
        // Later Terraform versions may add refinements; an unknown stays unknown without them.
        r.skip(path);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------- helpers

function isCollection(t: CtyType): boolean {
  return Array.isArray(t) && (t[0] === 'list' || t[0] === 'set' || t[0] === 'map');
}

function mismatch(t: CtyType, v: CtyValue, path: Path): CodecError {
  return new CodecError(`expected ${expectedName(t)}, got ${describeValue(v)}`, path);
}

function headerMismatch(t: CtyType, h: Header, path: Path): CodecError {
  return new CodecError(`expected ${expectedName(t)}, got ${describeHeader(h)}`, path);
}

/** Re-throws a path-less CodecError from a helper with the path of the value being read. */
function wrap<T>(path: Path, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CodecError && e.path.length === 0 && path.length) throw new CodecError(e.detail, path);
    throw e;
  }
}
