// How xl reads `vtpm = [...]` and `iomem = [...]` of a domain config (tools/xl/xl_parse.c); apart from vtpm.ts, which
// needs the host's state, so that parsing a config never depends on it.

import { SpecError } from './devspec';

export interface VtpmCfg {
  backend: string;
  uuid?: string;
}

export interface IomemCfg {
  start: number;
  number: number;
  gfn?: number;
}

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

/** One VTPM_SPEC_STRING as xl_parse.c reads it: strtok on ",", a token without "=" ends the spec. */
export function parseVtpmCfg(item: string): VtpmCfg {
  let backend: string | undefined;
  let uuid: string | undefined;
  for (const raw of item.split(',').filter((t) => t !== '')) {
    const token = raw.replace(/^ +/, '');
    const eq = token.indexOf('=');
    if (eq < 0) break;
    const key = token.slice(0, eq);
    const val = token.slice(eq + 1);
    if (key === 'backend') backend = val;
    else if (key === 'uuid') {
      if (!isUuid(val)) throw new SpecError(`Failed to parse vtpm UUID: ${val}`);
      uuid = val.toLowerCase();
    } else throw new SpecError(`Unknown string \`${key}' in vtpm spec`);
  }
  if (backend === undefined) throw new SpecError('vtpm spec missing required backend field!');
  return uuid === undefined ? { backend } : { backend, uuid };
}

/** `START,NUMBER[@GFN]`, each hex (sscanf %x). */
export function parseIomemCfg(item: string): IomemCfg {
  const m = /^\s*(?:0[xX])?([0-9a-fA-F]+),\s*(?:0[xX])?([0-9a-fA-F]+)(?:@\s*(?:0[xX])?([0-9a-fA-F]+))?$/.exec(item);
  if (!m) throw new SpecError(`xl: Invalid argument parsing iomem: ${item}`);
  const r: IomemCfg = { start: parseInt(m[1], 16), number: parseInt(m[2], 16) };
  if (m[3] !== undefined) r.gfn = parseInt(m[3], 16);
  return r;
}
