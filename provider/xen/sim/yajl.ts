// libxl prints its JSON through yajl's beautifier: four-space indent, `"key": value`, and an empty object or array
// spelled as an opening bracket, an empty line, then the closing bracket at the parent's indent. Parsers on the
// other side only need JSON, but the fidelity test compares bytes, so we reproduce the layout exactly.

/** bigint carries libxl's uint64 fields (rate_bytes_per_interval) exactly. */
export type Json = null | boolean | number | bigint | string | Json[] | { [key: string]: Json };

export function yajlFormat(value: Json, indent = ''): string {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = indent + '    ';
  if (Array.isArray(value)) {
    if (value.length === 0) return `[\n\n${indent}]`;
    return `[\n${value.map((v) => inner + yajlFormat(v, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return `{\n\n${indent}}`;
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${yajlFormat(value[k], inner)}`).join(',\n')}\n${indent}}`;
}
