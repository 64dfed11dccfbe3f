// A small independent reader of xl.cfg (after libxlu's cfg lexer: IDENT, NUMBER, quoted STRING with backslash
// escapes, [ , ], =, ;, # comments) and of xl's vif/disk/pci spec strings. Used by the tests to prove that rendered
// files contain exactly the keys we meant, however hostile the values.

export type CfgValue = string | number | CfgValue[];

type Tok = { t: 'ident' | 'num' | 'str' | 'punct' | 'nl'; v: string };

export function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  const re =
    /([ \t]+)|(#[^\n]*)|(\n)|([A-Za-z_][A-Za-z0-9_.]*)|(0x[0-9a-fA-F]+|[0-9]+)|("(?:[^"\\\n]|\\.)*")|('(?:[^'\\\n]|\\.)*')|(\+=|[=,[\];])/y;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) throw new Error(`lexical error at ${i}: ${JSON.stringify(text.slice(i, i + 20))}`);
    i = re.lastIndex;
    if (m[1] || m[2]) continue;
    if (m[3]) out.push({ t: 'nl', v: '\n' });
    else if (m[4]) out.push({ t: 'ident', v: m[4] });
    else if (m[5]) out.push({ t: 'num', v: m[5] });
    else if (m[6] || m[7]) out.push({ t: 'str', v: dequote((m[6] ?? m[7]) as string) });
    else out.push({ t: 'punct', v: m[8] });
  }
  return out;
}

function dequote(s: string): string {
  return s
    .slice(1, -1)
    .replace(/\\(.)/g, (_m, c: string) => (({ n: '\n', t: '\t', r: '\r' }) as Record<string, string>)[c] ?? c);
}

/** key -> value; throws on syntax errors and on a key set twice. */
export function parseXlCfg(text: string): Map<string, CfgValue> {
  const toks = tokenize(text);
  const out = new Map<string, CfgValue>();
  let i = 0;
  const peek = () => toks[i];
  const value = (): CfgValue => {
    const t = toks[i++];
    if (!t) throw new Error('value expected');
    if (t.t === 'str') return t.v;
    if (t.t === 'num') return Number(t.v);
    if (t.t === 'punct' && t.v === '[') {
      const items: CfgValue[] = [];
      while (peek()?.t === 'nl') i++;
      if (peek()?.v === ']') {
        i++;
        return items;
      }
      for (;;) {
        while (peek()?.t === 'nl') i++;
        items.push(value());
        while (peek()?.t === 'nl') i++;
        const p = toks[i++];
        if (p?.v === ']') return items;
        if (p?.v !== ',') throw new Error('expected , or ]');
        while (peek()?.t === 'nl') i++;
        if (peek()?.v === ']') {
          i++;
          return items;
        }
      }
    }
    throw new Error(`unexpected token ${JSON.stringify(t)}`);
  };
  while (i < toks.length) {
    const t = toks[i++];
    if (t.t === 'nl' || t.v === ';') continue;
    if (t.t !== 'ident') throw new Error(`setting expected, got ${JSON.stringify(t)}`);
    if (toks[i++]?.v !== '=') throw new Error(`= expected after ${t.v}`);
    if (out.has(t.v)) throw new Error(`${t.v} set twice`);
    out.set(t.v, value());
    const end = toks[i];
    if (end && end.t !== 'nl' && end.v !== ';') throw new Error(`end of setting expected after ${t.v}`);
  }
  return out;
}

/** vif spec: comma-separated key=value (xl splits on every comma). */
export function parseVifSpec(spec: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const tok of spec.split(',')) {
    const eq = tok.indexOf('=');
    if (eq < 0) throw new Error(`vif token without =: ${tok}`);
    const k = tok.slice(0, eq);
    if (out.has(k)) throw new Error(`${k} twice`);
    out.set(k, tok.slice(eq + 1));
  }
  return out;
}

/** disk spec: key=value up to the next comma, except target= which eats the rest of the string. */
export function parseDiskSpec(spec: string): Map<string, string> {
  const out = new Map<string, string>();
  let rest = spec;
  while (rest !== '') {
    const m = /^([a-z][-a-z0-9]*)=/.exec(rest);
    if (!m) throw new Error(`bad disk token at ${rest}`);
    if (m[1] === 'target') {
      out.set('target', rest.slice(7));
      break;
    }
    const comma = rest.indexOf(',');
    const tok = comma < 0 ? rest : rest.slice(0, comma);
    rest = comma < 0 ? '' : rest.slice(comma + 1);
    if (out.has(m[1])) throw new Error(`${m[1]} twice`);
    out.set(m[1], tok.slice(m[0].length));
  }
  return out;
}

/** pci spec: BDF[,key=value...]. */
export function parsePciSpec(spec: string): { bdf: string; opts: Map<string, string> } {
  const [bdf, ...rest] = spec.split(',');
  const opts = new Map<string, string>();
  for (const r of rest) {
    const [k, v, ...extra] = r.split('=');
    if (v === undefined || extra.length) throw new Error(`bad pci option ${r}`);
    opts.set(k, v);
  }
  return { bdf, opts };
}
