// xl's configuration file syntax (libxlu_cfg): `KEY = VALUE` settings ended by a newline or `;`, `#` comments,
// VALUE an atom (number, "string" or 'string' with C escapes) or a list `[ atom, atom, ]` that may span lines.
// libxlu keeps every atom as text and converts on use, so we do the same and remember whether it was quoted.

export interface CfgAtom {
  kind: 'atom';
  text: string;
  line: number;
}
export interface CfgList {
  kind: 'list';
  items: CfgAtom[];
  line: number;
}
export type CfgValue = CfgAtom | CfgList;
export type XlCfg = Map<string, CfgValue>;

export class CfgSyntaxError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly near: string,
    detail = 'syntax error',
  ) {
    // libxlu's wording: "FILE:LINE: config parsing error near `TOKEN': syntax error"
    super(`${source}:${line}: config parsing error near \`${near}': ${detail}`);
    this.name = 'CfgSyntaxError';
  }
}

type Tok =
  | { t: 'id' | 'num' | 'str'; v: string; line: number }
  | { t: '=' | '+=' | '[' | ']' | ',' | ';' | 'nl'; v: string; line: number };

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

function tokenize(text: string, source: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      toks.push({ t: 'nl', v: '\n', line });
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      const start = line;
      let out = '';
      i++;
      while (true) {
        if (i >= text.length || text[i] === '\n')
          throw new CfgSyntaxError(source, start, c + out, 'unterminated string');
        const d = text[i];
        if (d === c) {
          i++;
          break;
        }
        if (d === '\\') {
          const e = text[i + 1];
          if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
            out += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
            i += 4;
          } else if (e !== undefined && /[0-7]/.test(e)) {
            const m = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
            out += String.fromCharCode(parseInt(m, 8));
            i += 1 + m.length;
          } else if (e !== undefined && e in ESCAPES) {
            out += ESCAPES[e];
            i += 2;
          } else {
            throw new CfgSyntaxError(source, line, `\\${e ?? ''}`, 'invalid escape');
          }
        } else {
          out += d;
          i++;
        }
      }
      toks.push({ t: 'str', v: out, line: start });
    } else if (/[0-9]/.test(c)) {
      const m = /^(0x[0-9a-fA-F]+|[0-9]+(\.[0-9]+)?)/.exec(text.slice(i))!;
      toks.push({ t: 'num', v: m[0], line });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i))!;
      toks.push({ t: 'id', v: m[0], line });
      i += m[0].length;
    } else if (c === '+' && text[i + 1] === '=') {
      toks.push({ t: '+=', v: '+=', line });
      i += 2;
    } else if ('=[],;'.includes(c)) {
      toks.push({ t: c as '=' | '[' | ']' | ',' | ';', v: c, line });
      i++;
    } else {
      throw new CfgSyntaxError(source, line, c);
    }
  }
  return toks;
}

export function parseXlCfg(text: string, source = 'config'): XlCfg {
  const toks = tokenize(text, source);
  const cfg: XlCfg = new Map();
  let p = 0;
  const peek = () => toks[p];
  const skipNl = () => {
    while (peek()?.t === 'nl') p++;
  };
  const fail = (tok: Tok | undefined): never => {
    const last = toks[toks.length - 1];
    throw new CfgSyntaxError(source, tok?.line ?? last?.line ?? 1, tok ? tok.v.replace('\n', '\\n') : '<EOF>');
  };
  const atom = (): CfgAtom => {
    const tok = toks[p];
    if (!tok || (tok.t !== 'num' && tok.t !== 'str')) return fail(tok);
    p++;
    return { kind: 'atom', text: tok.v, line: tok.line };
  };
  while (p < toks.length) {
    const tok = toks[p];
    if (tok.t === 'nl' || tok.t === ';') {
      p++;
      continue;
    }
    if (tok.t !== 'id') fail(tok);
    p++;
    const op = toks[p];
    if (!op || (op.t !== '=' && op.t !== '+=')) fail(op);
    p++;
    let value: CfgValue;
    if (peek()?.t === '[') {
      const line = toks[p].line;
      p++;
      const items: CfgAtom[] = [];
      skipNl();
      while (peek()?.t !== ']') {
        items.push(atom());
        skipNl();
        if (peek()?.t === ',') {
          p++;
          skipNl();
        } else if (peek()?.t !== ']') fail(peek());
      }
      p++;
      value = { kind: 'list', items, line };
    } else {
      value = atom();
    }
    const end = peek();
    if (end && end.t !== 'nl' && end.t !== ';') fail(end);
    const prev = cfg.get(tok.v);
    if (op.t === '+=' && prev) {
      const asList = (v: CfgValue): CfgAtom[] => (v.kind === 'list' ? v.items : [v]);
      value = { kind: 'list', items: [...asList(prev), ...asList(value)], line: value.line };
    }
    // A repeated key replaces the earlier value, as in libxlu.
    cfg.delete(tok.v);
    cfg.set(tok.v, value);
  }
  return cfg;
}

export class CfgTypeError extends Error {}

export function cfgString(cfg: XlCfg, key: string): string | undefined {
  const v = cfg.get(key);
  if (v === undefined) return undefined;
  if (v.kind !== 'atom') throw new CfgTypeError(`config: \`${key}' is a list but should be a single value`);
  return v.text;
}

/** libxlu's get_long: strtol over the whole atom, quoted or not. */
export function cfgLong(cfg: XlCfg, key: string): number | undefined {
  const s = cfgString(cfg, key);
  if (s === undefined) return undefined;
  const n = /^\s*[-+]?(0x[0-9a-fA-F]+|[0-9]+)\s*$/.test(s) ? Number(s) : NaN;
  if (!Number.isInteger(n)) throw new CfgTypeError(`config: \`${key}' is not a valid number: ${s}`);
  return n;
}

export function cfgBool(cfg: XlCfg, key: string): boolean | undefined {
  const n = cfgLong(cfg, key);
  return n === undefined ? undefined : n !== 0;
}

export function cfgList(cfg: XlCfg, key: string): string[] | undefined {
  const v = cfg.get(key);
  if (v === undefined) return undefined;
  if (v.kind !== 'list') throw new CfgTypeError(`config: \`${key}' must be a list`);
  return v.items.map((a) => a.text);
}
