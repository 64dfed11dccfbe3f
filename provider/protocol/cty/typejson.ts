// Terraform's JSON type constraints ("string", ["list","string"], ["object",{...},["opt"]]) <-> CtyType.
// The serialized form must match go-cty's MarshalType byte for byte: schemas carry it as attribute `type` bytes and
// dynamic values carry it in msgpack, and Terraform compares neither loosely.

import { CodecError } from './errors';
import { compareCodePoints, goJsonString, parseJsonText, sortedKeys, type JsonNode } from './jsontext';
import { record, type CtyType } from './types';

export type ObjectAttrs = { [attr: string]: CtyType };

export function parseTypeJson(input: string | Uint8Array): CtyType {
  return typeFromJsonNode(parseJsonText(input));
}

export function typeFromJsonNode(node: JsonNode): CtyType {
  switch (node.kind) {
    case 'string':
      if (node.value === 'string' || node.value === 'number' || node.value === 'bool' || node.value === 'dynamic') {
        return node.value;
      }
      throw new CodecError(`invalid type: unknown type name ${JSON.stringify(node.value)}`);
    case 'array':
      return compositeType(node.items);
    default:
      throw new CodecError(`invalid type: expected a type name or array, got a JSON ${node.kind}`);
  }
}

function compositeType(items: JsonNode[]): CtyType {
  const head = items[0];
  if (!head || head.kind !== 'string') throw new CodecError('invalid type: array must start with a type kind');
  const kind = head.value;
  switch (kind) {
    case 'list':
    case 'set':
    case 'map':
      if (items.length !== 2) throw new CodecError(`invalid type: ${kind} needs exactly one element type`);
      return [kind, typeFromJsonNode(items[1])];
    case 'tuple': {
      const elems = items[1];
      if (items.length !== 2 || elems.kind !== 'array')
        throw new CodecError('invalid type: tuple needs an array of element types');
      return ['tuple', elems.items.map(typeFromJsonNode)];
    }
    case 'object':
      return objectType(items);
    default:
      throw new CodecError(`invalid type: unknown type kind ${JSON.stringify(kind)}`);
  }
}

function objectType(items: JsonNode[]): CtyType {
  const attrsNode = items[1];
  if ((items.length !== 2 && items.length !== 3) || attrsNode.kind !== 'object') {
    throw new CodecError('invalid type: object needs an attribute map and an optional list of optional attributes');
  }
  const attrs = record<CtyType>();
  for (const [name, t] of attrsNode.members) {
    if (Object.prototype.hasOwnProperty.call(attrs, name)) {
      throw new CodecError(`invalid type: duplicate object attribute ${JSON.stringify(name)}`);
    }
    attrs[name] = typeFromJsonNode(t);
  }
  if (items.length === 2) return ['object', attrs];
  const optNode = items[2];
  if (optNode.kind !== 'array') throw new CodecError('invalid type: optional attributes must be an array of names');
  const optional: string[] = [];
  for (const n of optNode.items) {
    if (n.kind !== 'string') throw new CodecError('invalid type: optional attribute names must be strings');
    if (!Object.prototype.hasOwnProperty.call(attrs, n.value)) {
      throw new CodecError(`invalid type: optional attribute ${JSON.stringify(n.value)} is not an attribute`);
    }
    if (optional.includes(n.value))
      throw new CodecError(`invalid type: optional attribute ${JSON.stringify(n.value)} listed twice`);
    optional.push(n.value);
  }
  return optional.length ? ['object', attrs, optional] : ['object', attrs];
}

/** Compact JSON exactly as go-cty writes it: attribute names sorted, optional list sorted and omitted when empty. */
export function typeToJson(type: CtyType): string {
  if (typeof type === 'string') {
    if (type === 'string' || type === 'number' || type === 'bool' || type === 'dynamic') return `"${type}"`;
    throw new CodecError(`invalid type ${JSON.stringify(type)}`);
  }
  if (!Array.isArray(type)) throw new CodecError('invalid type: not a type');
  switch (type[0]) {
    case 'list':
    case 'set':
    case 'map':
      return `["${type[0]}",${typeToJson(type[1])}]`;
    case 'tuple':
      if (!Array.isArray(type[1])) throw new CodecError('invalid tuple type');
      return `["tuple",[${type[1].map(typeToJson).join(',')}]]`;
    case 'object': {
      const attrs = type[1];
      const body = sortedKeys(attrs)
        .map((k) => `${goJsonString(k)}:${typeToJson(attrs[k])}`)
        .join(',');
      const optional = type.length === 3 ? [...type[2]].sort(compareCodePoints) : [];
      return optional.length
        ? `["object",{${body}},[${optional.map(goJsonString).join(',')}]]`
        : `["object",{${body}}]`;
    }
    default:
      throw new CodecError(`invalid type kind ${JSON.stringify((type as unknown[])[0])}`);
  }
}

export function typeToJsonBytes(type: CtyType): Uint8Array {
  return new TextEncoder().encode(typeToJson(type));
}

/** Structural type equality; optional-attribute markers compare as sets. */
export function typeEquals(a: CtyType, b: CtyType): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a[0] !== b[0]) return false;
  switch (a[0]) {
    case 'list':
    case 'set':
    case 'map':
      return typeEquals(a[1], b[1] as CtyType);
    case 'tuple': {
      const bs = b[1] as CtyType[];
      return a[1].length === bs.length && a[1].every((t, i) => typeEquals(t, bs[i]));
    }
    case 'object': {
      const aa = a[1];
      const ba = b[1] as ObjectAttrs;
      const ak = Object.keys(aa);
      if (ak.length !== Object.keys(ba).length) return false;
      if (!ak.every((k) => Object.prototype.hasOwnProperty.call(ba, k) && typeEquals(aa[k], ba[k]))) return false;
      const ao = new Set(a.length === 3 ? a[2] : []);
      const bo = new Set(b.length === 3 ? (b[2] as string[]) : []);
      return ao.size === bo.size && [...ao].every((k) => bo.has(k));
    }
  }
}

/** Attribute map of an object type (whichever of the two tuple shapes it has). */
export function objectAttrs(type: ['object', ObjectAttrs] | ['object', ObjectAttrs, string[]]): ObjectAttrs {
  return type[1];
}

export function isPrimitiveType(t: CtyType): t is 'string' | 'number' | 'bool' {
  return t === 'string' || t === 'number' || t === 'bool';
}
