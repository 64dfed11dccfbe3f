// Names for types and values in error messages ("expected string, got bool"), and the one test for "this JS value
// is a cty map/object record", shared by the codecs and values.ts so they agree on what a record is.

import { BigNumber, Dynamic, Unknown, type CtyObject, type CtyType, type CtyValue } from './types';

export function expectedName(t: CtyType): string {
  if (typeof t === 'string') return t === 'dynamic' ? 'a dynamic value' : t;
  return Array.isArray(t) && typeof t[0] === 'string' ? t[0] : 'a valid type';
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (v instanceof Unknown) return 'unknown';
  if (v instanceof Dynamic) return 'a Dynamic value';
  if (v instanceof BigNumber || typeof v === 'bigint') return 'number';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  if (isCtyRecord(v)) return 'object';
  return typeof v;
}

/** A map/object value: a plain or null-prototype object, not an array and not one of the value classes. */
export function isCtyRecord(v: unknown): v is CtyObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}
