// cty values <-> cty's JSON encoding, as in Terraform state files (UpgradeResourceState's raw_state) and
// go-cty's ctyjson package. Numbers keep full precision: tokens are parsed as decimal text, never via float64.
// Leniency matches go-cty's unmarshaller (a number or bool where a string is expected becomes its text, and
// "true"/"12" strings are read as bool/number), because old state may predate an attribute's type change.

import { CodecError } from './errors';
import { describeValue, expectedName, isCtyRecord } from './describe';
import { compareCodePoints, goJsonString, LONE_SURROGATE, parseJsonText, type JsonNode } from './jsontext';
import { isCtyNumber, numberFromText, numberToJsonText } from './numbers';
import type { Path } from './path';
import { typeFromJsonNode, typeToJson } from './typejson';
import { Dynamic, record, Unknown, type CtyObject, type CtyType, type CtyValue } from './types';

export interface DecodeJsonOptions {
  /**
   * Drop object attributes the type does not declare instead of failing. For state written by an older schema
   * version, where the caller has decided removed attributes are simply gone.
   */
  dropUnknownAttributes?: boolean;
}

export function decodeJson(text: string | Uint8Array, type: CtyType, options: DecodeJsonOptions = {}): CtyValue {
  return valueFromJsonNode(parseJsonText(text), type, options);
}

/** The typed half of decodeJson, for callers that already hold a parsed JsonNode. */
export function valueFromJsonNode(node: JsonNode, type: CtyType, options: DecodeJsonOptions = {}): CtyValue {
  return fromNode(node, type, [], options);
}

function fromNode(node: JsonNode, t: CtyType, path: Path, opts: DecodeJsonOptions): CtyValue {
  if (node.kind === 'null') return null;
  if (t === 'dynamic') return dynamicFromNode(node, path, opts);
  if (typeof t === 'string') return primitiveFromNode(node, t, path);
  switch (t[0]) {
    case 'list':
    case 'set': {
      if (node.kind !== 'array') throw nodeMismatch(t, node, path);
      return node.items.map((n, i) => fromNode(n, t[1], [...path, { index: i }], opts));
    }
    case 'tuple': {
      if (node.kind !== 'array') throw nodeMismatch(t, node, path);
      if (node.items.length !== t[1].length) {
        throw new CodecError(`expected a tuple of ${t[1].length} elements, got ${node.items.length}`, path);
      }
      return node.items.map((n, i) => fromNode(n, t[1][i], [...path, { index: i }], opts));
    }
    case 'map': {
      if (node.kind !== 'object') throw nodeMismatch(t, node, path);
      const out = record();
      for (const [k, n] of node.members) {
        if (Object.prototype.hasOwnProperty.call(out, k))
          throw new CodecError(`duplicate map key ${JSON.stringify(k)}`, path);
        out[k] = fromNode(n, t[1], [...path, { key: k }], opts);
      }
      return out;
    }
    case 'object': {
      if (node.kind !== 'object') throw nodeMismatch(t, node, path);
      const attrs = t[1];
      const out: CtyObject = record();
      for (const [k, n] of node.members) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k)) {
          if (opts.dropUnknownAttributes) continue;
          throw new CodecError(`unsupported attribute ${JSON.stringify(k)}`, path);
        }
        if (Object.prototype.hasOwnProperty.call(out, k))
          throw new CodecError(`duplicate attribute ${JSON.stringify(k)}`, path);
        out[k] = fromNode(n, attrs[k], [...path, { attr: k }], opts);
      }
      // State omits nothing in practice, but go-cty reads a missing attribute as null, and so do we.
      for (const k of Object.keys(attrs)) if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = null;
      return out;
    }
    default:
      throw new CodecError(`invalid type ${JSON.stringify(t)}`, path);
  }
}

function primitiveFromNode(node: JsonNode, t: CtyType & string, path: Path): CtyValue {
  switch (t) {
    case 'string':
      if (node.kind === 'string') return node.value;
      if (node.kind === 'number') return node.text;
      if (node.kind === 'bool') return node.value ? 'true' : 'false';
      throw nodeMismatch(t, node, path);
    case 'number':
      if (node.kind === 'number' || node.kind === 'string') {
        const text = node.kind === 'number' ? node.text : node.value;
        try {
          return numberFromText(text);
        } catch (e) {
          if (e instanceof CodecError) throw new CodecError(e.detail, path);
          throw e;
        }
      }
      throw nodeMismatch(t, node, path);
    case 'bool':
      if (node.kind === 'bool') return node.value;
      if (node.kind === 'string' && (node.value === 'true' || node.value === 'false')) return node.value === 'true';
      throw nodeMismatch(t, node, path);
    default:
      throw new CodecError(`invalid type ${JSON.stringify(t)}`, path);
  }
}

function dynamicFromNode(node: JsonNode, path: Path, opts: DecodeJsonOptions): CtyValue {
  if (node.kind !== 'object')
    throw new CodecError(`expected a dynamic value {"value":...,"type":...}, got JSON ${node.kind}`, path);
  let valueNode: JsonNode | undefined;
  let typeNode: JsonNode | undefined;
  for (const [k, n] of node.members) {
    if (k === 'value' && valueNode === undefined) valueNode = n;
    else if (k === 'type' && typeNode === undefined) typeNode = n;
    else throw new CodecError(`dynamic value has unexpected or repeated key ${JSON.stringify(k)}`, path);
  }
  if (!valueNode || !typeNode) throw new CodecError('dynamic value needs both "value" and "type"', path);
  let type: CtyType;
  try {
    type = typeFromJsonNode(typeNode);
  } catch (e) {
    if (e instanceof CodecError) throw new CodecError(e.detail, path);
    throw e;
  }
  // go-cty writes a null of unknown type as {"value":null,"type":"dynamic"}: that is a plain null here.
  if (type === 'dynamic') return fromNode(valueNode, 'dynamic', path, opts);
  return new Dynamic(type, fromNode(valueNode, type, path, opts));
}

function nodeMismatch(t: CtyType, node: JsonNode, path: Path): CodecError {
  const got = node.kind === 'object' ? 'JSON object' : node.kind === 'array' ? 'JSON array' : node.kind;
  return new CodecError(`expected ${expectedName(t)}, got ${got}`, path);
}

// ---------------------------------------------------------------------------------------------------- encoding

/** Compact cty JSON as go-cty writes it (sorted keys, HTML-safe string escapes, numbers without exponents). */
export function encodeJson(value: CtyValue, type: CtyType): string {
  const parts: string[] = [];
  toJson(parts, value, type, []);
  return parts.join('');
}

function toJson(out: string[], v: CtyValue, t: CtyType, path: Path): void {
  if (v instanceof Unknown) throw new CodecError('unknown values cannot be written as JSON', path);
  if (t === 'dynamic') {
    if (v === null) {
      out.push('{"value":null,"type":"dynamic"}');
      return;
    }
    if (!(v instanceof Dynamic)) throw new CodecError(`expected a Dynamic value, got ${describeValue(v)}`, path);
    out.push('{"value":');
    toJson(out, v.value, v.type, path);
    out.push(`,"type":${typeToJson(v.type)}}`);
    return;
  }
  if (v === null) {
    out.push('null');
    return;
  }
  if (typeof t === 'string') {
    switch (t) {
      case 'string':
        if (typeof v !== 'string') throw mismatch(t, v, path);
        out.push(jsonString(v, path));
        return;
      case 'bool':
        if (typeof v !== 'boolean') throw mismatch(t, v, path);
        out.push(v ? 'true' : 'false');
        return;
      case 'number':
        if (!isCtyNumber(v)) throw mismatch(t, v, path);
        try {
          out.push(numberToJsonText(v));
        } catch (e) {
          if (e instanceof CodecError) throw new CodecError(e.detail, path);
          throw e;
        }
        return;
      default:
        throw new CodecError(`invalid type ${JSON.stringify(t)}`, path);
    }
  }
  switch (t[0]) {
    case 'list':
    case 'set':
    case 'tuple': {
      if (!Array.isArray(v)) throw mismatch(t, v, path);
      if (t[0] === 'tuple' && v.length !== t[1].length) {
        throw new CodecError(`expected a tuple of ${t[1].length} elements, got ${v.length}`, path);
      }
      out.push('[');
      v.forEach((e, i) => {
        if (i) out.push(',');
        toJson(out, e, t[0] === 'tuple' ? t[1][i] : t[1], [...path, { index: i }]);
      });
      out.push(']');
      return;
    }
    case 'map': {
      if (!isCtyRecord(v)) throw mismatch(t, v, path);
      out.push('{');
      Object.keys(v)
        .sort(compareCodePoints)
        .forEach((k, i) => {
          out.push(`${i ? ',' : ''}${jsonString(k, path)}:`);
          toJson(out, v[k], t[1], [...path, { key: k }]);
        });
      out.push('}');
      return;
    }
    case 'object': {
      if (!isCtyRecord(v)) throw mismatch(t, v, path);
      const attrs = t[1];
      for (const k of Object.keys(v)) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k))
          throw new CodecError(`unsupported attribute ${JSON.stringify(k)}`, path);
      }
      out.push('{');
      Object.keys(attrs)
        .sort(compareCodePoints)
        .forEach((k, i) => {
          if (!Object.prototype.hasOwnProperty.call(v, k))
            throw new CodecError(`missing attribute ${JSON.stringify(k)}`, path);
          out.push(`${i ? ',' : ''}${jsonString(k, path)}:`);
          toJson(out, v[k], attrs[k], [...path, { attr: k }]);
        });
      out.push('}');
      return;
    }
    default:
      throw new CodecError(`invalid type ${JSON.stringify(t)}`, path);
  }
}

function jsonString(s: string, path: Path): string {
  if (LONE_SURROGATE.test(s)) throw new CodecError('string contains an unpaired UTF-16 surrogate', path);
  return goJsonString(s);
}

function mismatch(t: CtyType, v: CtyValue, path: Path): CodecError {
  return new CodecError(`expected ${expectedName(t)}, got ${describeValue(v)}`, path);
}
