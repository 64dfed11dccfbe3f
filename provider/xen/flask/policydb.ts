// Reader for a compiled XSM/FLASK policy: the SELinux binary policydb format with the "XenFlask" target, as
// checkpolicy -t xen writes it and Xen's own loader (xen/xsm/flask/ss/policydb.c) reads it. Pure: bytes in, a
// description out. The file comes from the user's host and may be anything, so every count is checked against the
// bytes that remain before anything is allocated for it, and every failure is a PolicyFormatError with the offset.

/** A compiled policy is well under 1 MiB (Xen's example policy: about 40 KiB); past this it is not one. */
export const MAX_POLICY_BYTES = 16 * 1024 * 1024;

export const POLICYDB_MAGIC = 0xf97cff8c;
const XEN_TARGET = 'XenFlask';
const OLD_XEN_TARGET = 'SE Linux';
const VERSION_MIN = 15;
/** The newest version Xen (4.17 and later) loads; checkpolicy -t xen writes it unless told otherwise. */
const VERSION_MAX = 30;

const V = {
  BOOL: 16,
  MLS: 19,
  VALIDATETRANS: 19,
  AVTAB: 20,
  RANGETRANS: 21,
  POLCAP: 22,
  PERMISSIVE: 23,
  BOUNDARY: 24,
  FILENAME_TRANS: 25,
  ROLETRANS: 26,
  NEW_OBJECT_DEFAULTS: 27,
  DEFAULT_TYPE: 28,
  CONSTRAINT_NAMES: 29,
  XEN_DEVICETREE: 30,
} as const;

const CONFIG_MLS = 1;
const SYM_NUM = 8;
const OCON_NUM = 6;
const PROPERTY_PRIMARY = 1;
const PROPERTY_ATTRIBUTE = 2;
/** Names in a policy are short identifiers; a longer one means the bytes are not a policy. */
const MAX_NAME = 4096;

export const AVTAB = { ALLOWED: 1, AUDITALLOW: 2, AUDITDENY: 4, TRANSITION: 16, MEMBER: 32, CHANGE: 64 } as const;
const AVTAB_KINDS = [AVTAB.ALLOWED, AVTAB.AUDITDENY, AVTAB.AUDITALLOW, AVTAB.TRANSITION, AVTAB.CHANGE, AVTAB.MEMBER];
const AVTAB_ENABLED = 0x8000;

/** The bytes are not a compiled FLASK policy Xen would load; offset is where reading stopped. */
export class PolicyFormatError extends Error {
  constructor(
    readonly offset: number,
    readonly why: string,
  ) {
    super(`${why} (at byte ${offset})`);
    this.name = 'PolicyFormatError';
  }
}

export interface PolicyClass {
  value: number;
  /** Permission names by bit: perms[i] is the permission with value i + 1. */
  perms: string[];
}

export interface PolicyType {
  name: string;
  value: number;
  kind: 'type' | 'attribute' | 'alias';
  /** For an alias, the type it names. */
  aliasOf?: string;
}

export interface PolicyContext {
  user: string;
  role: string;
  type: string;
}

export interface AvRule {
  source: string;
  target: string;
  cls: string;
  /** One of AVTAB's kinds. */
  kind: number;
  /** For ALLOWED, AUDITALLOW and AUDITDENY the permission bits; for TRANSITION/MEMBER/CHANGE the new type's value. */
  data: number;
  /** Rules under a boolean (`if (...) { }`): true when that branch is active as the policy stands. */
  conditional?: boolean;
}

export interface FlaskPolicy {
  target: string;
  version: number;
  mls: boolean;
  /** User name -> the roles it may take. */
  users: Map<string, Set<string>>;
  /** Role name -> the types it is authorised for (object_r is authorised for every type, as in Xen). */
  roles: Map<string, Set<string>>;
  /** Type, attribute and alias names. */
  types: Map<string, PolicyType>;
  /** Type name -> the attributes it has (aliases and attributes are absent). */
  typeAttributes: Map<string, Set<string>>;
  classes: Map<string, PolicyClass>;
  booleans: Map<string, boolean>;
  rules: AvRule[];
  /** pcidevicecon lines: PCI device (SBDF as Xen numbers it) -> its label. */
  pciContexts: Array<{ device: number; context: PolicyContext }>;
}

class Reader {
  off = 0;
  private readonly view: DataView;
  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.off;
  }

  fail(why: string, at = this.off): never {
    throw new PolicyFormatError(at, why);
  }

  need(n: number, what: string): void {
    if (n > this.remaining)
      this.fail(`${what} needs ${n} bytes but only ${this.remaining} remain: the file is truncated or not a policy`);
  }

  u16(what: string): number {
    this.need(2, what);
    const v = this.view.getUint16(this.off, true);
    this.off += 2;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.off, true);
    this.off += 4;
    return v;
  }

  skip(n: number, what: string): void {
    this.need(n, what);
    this.off += n;
  }

  /** A count of items each at least minBytes long: refused when the rest of the file cannot hold that many. */
  count(what: string, minBytes: number): number {
    const at = this.off;
    const n = this.u32(what);
    if (n * minBytes > this.remaining)
      this.fail(`${what} is ${n}, more than the ${this.remaining} bytes left can hold`, at);
    return n;
  }

  name(len: number, what: string): string {
    if (len === 0 || len > MAX_NAME) this.fail(`${what} has length ${len}`, this.off - 4);
    this.need(len, what);
    const bytes = this.buf.subarray(this.off, this.off + len);
    for (const b of bytes)
      if (b < 0x21 || b > 0x7e) this.fail(`${what} has a byte 0x${b.toString(16)} no policy name has`);
    this.off += len;
    return Buffer.from(bytes).toString('latin1');
  }
}

/** An ebitmap's set bits (bit i stands for the symbol with value i + 1). */
function ebitmap(r: Reader, what: string): number[] {
  const at = r.off;
  const mapunit = r.u32(what);
  if (mapunit !== 64) r.fail(`${what}: bitmap unit ${mapunit}, not 64`, at);
  const highbit = r.u32(what);
  const n = r.count(`${what}: bitmap node count`, 12);
  if (highbit % 64 !== 0) r.fail(`${what}: bitmap high bit ${highbit} is not a multiple of 64`, at);
  if (highbit === 0 && n !== 0) r.fail(`${what}: empty bitmap with ${n} nodes`, at);
  const bits: number[] = [];
  let last = -1;
  for (let i = 0; i < n; i++) {
    const nodeAt = r.off;
    const start = r.u32(what);
    if (start % 64 !== 0 || start > highbit - 64)
      r.fail(`${what}: bitmap node at bit ${start} is outside 0..${highbit}`, nodeAt);
    if (start <= last) r.fail(`${what}: bitmap nodes out of order`, nodeAt);
    last = start;
    const lo = r.u32(what);
    const hi = r.u32(what);
    for (let b = 0; b < 32; b++) if ((lo >>> b) & 1) bits.push(start + b);
    for (let b = 0; b < 32; b++) if ((hi >>> b) & 1) bits.push(start + 32 + b);
  }
  return bits;
}

function mlsLevel(r: Reader, what: string): void {
  r.u32(what);
  ebitmap(r, what);
}

function mlsRange(r: Reader, what: string): void {
  const at = r.off;
  const items = r.u32(what);
  if (items < 1 || items > 2) r.fail(`${what}: an MLS range has ${items} levels`, at);
  r.skip(4 * items, what);
  ebitmap(r, what);
  if (items > 1) ebitmap(r, what);
}

function perms(r: Reader, n: number, out: string[], what: string): void {
  for (let i = 0; i < n; i++) {
    const len = r.u32(what);
    const at = r.off;
    const value = r.u32(what);
    const name = r.name(len, what);
    if (value < 1 || value > 32) r.fail(`${what}: permission ${name} has value ${value} (1..32)`, at);
    out[value - 1] = name;
  }
}

function constraints(r: Reader, n: number, version: number, what: string): void {
  for (let i = 0; i < n; i++) {
    r.u32(what); // the permissions it constrains
    const nexpr = r.count(`${what}: constraint expression count`, 12);
    let depth = -1;
    for (let j = 0; j < nexpr; j++) {
      const at = r.off;
      const type = r.u32(what);
      r.u32(what);
      r.u32(what);
      switch (type) {
        case 1: // not
          if (depth < 0) r.fail(`${what}: malformed constraint`, at);
          break;
        case 2: // and
        case 3: // or
          if (depth < 1) r.fail(`${what}: malformed constraint`, at);
          depth--;
          break;
        case 4: // attr
          depth++;
          break;
        case 5: // names
          depth++;
          ebitmap(r, what);
          if (version >= V.CONSTRAINT_NAMES) {
            ebitmap(r, what);
            ebitmap(r, what);
            r.u32(what);
          }
          break;
        default:
          r.fail(`${what}: unknown constraint expression ${type}`, at);
      }
      if (depth >= 5) r.fail(`${what}: constraint nested too deep`, at);
    }
    if (depth !== 0) r.fail(`${what}: malformed constraint`);
  }
}

interface Raw {
  version: number;
  mls: boolean;
  commons: Map<string, string[]>;
  classes: Array<[string, PolicyClass]>;
  roles: Array<{ name: string; value: number; types: number[] }>;
  types: Array<{ name: string; value: number; props: number }>;
  users: Array<{ name: string; value: number; roles: number[] }>;
  booleans: Array<{ name: string; value: number; state: boolean }>;
}

function symbols(r: Reader, raw: Raw, table: number): void {
  const v = raw.version;
  const at = r.off;
  switch (table) {
    case 0: {
      const len = r.u32('common');
      r.u32('common');
      r.u32('common');
      const nel = r.count('common permission count', 8);
      const name = r.name(len, 'common name');
      const p: string[] = [];
      perms(r, nel, p, `common ${name}`);
      raw.commons.set(name, p);
      return;
    }
    case 1: {
      const len = r.u32('class');
      const len2 = r.u32('class');
      const value = r.u32('class');
      r.u32('class');
      const nel = r.count('class permission count', 8);
      const ncons = r.count('class constraint count', 8);
      const name = r.name(len, 'class name');
      const p: string[] = [];
      if (len2) {
        const common = r.name(len2, `class ${name}'s common`);
        const c = raw.commons.get(common);
        if (!c) r.fail(`class ${name} inherits the undefined common ${common}`, at);
        p.push(...c);
      }
      perms(r, nel, p, `class ${name}`);
      constraints(r, ncons, v, `class ${name}`);
      if (v >= V.VALIDATETRANS) constraints(r, r.count(`class ${name} validatetrans count`, 8), v, `class ${name}`);
      if (v >= V.NEW_OBJECT_DEFAULTS) r.skip(12, `class ${name}`);
      if (v >= V.DEFAULT_TYPE) r.skip(4, `class ${name}`);
      raw.classes.push([name, { value, perms: p }]);
      return;
    }
    case 2: {
      const len = r.u32('role');
      const value = r.u32('role');
      if (v >= V.BOUNDARY) r.u32('role');
      const name = r.name(len, 'role name');
      ebitmap(r, `role ${name}`);
      const types = ebitmap(r, `role ${name}`);
      if (name === 'object_r' && value !== 1) r.fail(`object_r has value ${value}, not 1`, at);
      raw.roles.push({ name, value, types });
      return;
    }
    case 3: {
      const len = r.u32('type');
      const value = r.u32('type');
      let props: number;
      if (v >= V.BOUNDARY) {
        props = r.u32('type');
        r.u32('type');
      } else {
        props = r.u32('type') ? PROPERTY_PRIMARY : 0;
      }
      const name = r.name(len, 'type name');
      raw.types.push({ name, value, props });
      return;
    }
    case 4: {
      const len = r.u32('user');
      const value = r.u32('user');
      if (v >= V.BOUNDARY) r.u32('user');
      const name = r.name(len, 'user name');
      const roles = ebitmap(r, `user ${name}`);
      if (v >= V.MLS) {
        mlsRange(r, `user ${name}`);
        mlsLevel(r, `user ${name}`);
      }
      raw.users.push({ name, value, roles });
      return;
    }
    case 5: {
      const value = r.u32('boolean');
      const state = r.u32('boolean');
      const len = r.u32('boolean');
      const name = r.name(len, 'boolean name');
      if (state > 1) r.fail(`boolean ${name} has state ${state}`, at);
      raw.booleans.push({ name, value, state: state === 1 });
      return;
    }
    case 6: {
      const len = r.u32('sensitivity');
      r.u32('sensitivity');
      const name = r.name(len, 'sensitivity name');
      mlsLevel(r, `sensitivity ${name}`);
      return;
    }
    case 7: {
      const len = r.u32('category');
      r.u32('category');
      r.u32('category');
      r.name(len, 'category name');
      return;
    }
  }
}

interface Names {
  types: string[];
  classes: string[];
  roles: string[];
  users: string[];
  nTypes: number;
  nClasses: number;
  nRoles: number;
  nUsers: number;
}

function avItem(r: Reader, n: Names, conditional?: boolean): AvRule {
  const at = r.off;
  const source = r.u16('rule');
  const target = r.u16('rule');
  const cls = r.u16('rule');
  const specified = r.u16('rule') & ~AVTAB_ENABLED;
  const data = r.u32('rule');
  if (source < 1 || source > n.nTypes || target < 1 || target > n.nTypes)
    r.fail(`a rule names type ${source} or ${target}, outside 1..${n.nTypes}`, at);
  if (cls < 1 || cls > n.nClasses) r.fail(`a rule names class ${cls}, outside 1..${n.nClasses}`, at);
  const kinds = AVTAB_KINDS.filter((k) => specified & k);
  if (kinds.length !== 1 || specified & ~0x77) r.fail(`a rule has kind bits 0x${specified.toString(16)}`, at);
  const rule: AvRule = {
    source: n.types[source - 1] ?? `#${source}`,
    target: n.types[target - 1] ?? `#${target}`,
    cls: n.classes[cls - 1] ?? `#${cls}`,
    kind: kinds[0],
    data,
  };
  if (conditional !== undefined) rule.conditional = conditional;
  return rule;
}

function context(r: Reader, n: Names, mls: boolean, what: string): PolicyContext {
  const at = r.off;
  const user = r.u32(what);
  const role = r.u32(what);
  const type = r.u32(what);
  if (user < 1 || user > n.nUsers || role < 1 || role > n.nRoles || type < 1 || type > n.nTypes)
    r.fail(`${what}: a context names a user, role or type the policy does not have`, at);
  if (mls) mlsRange(r, what);
  return {
    user: n.users[user - 1] ?? `#${user}`,
    role: n.roles[role - 1] ?? `#${role}`,
    type: n.types[type - 1] ?? `#${type}`,
  };
}

/** Array index by value (1-based values), refusing duplicates and values past the declared count. */
function byValue(
  r: Reader,
  what: string,
  nprim: number,
  items: Array<{ name: string; value: number }>,
  at: number,
): string[] {
  const out: string[] = [];
  for (const it of items) {
    if (it.value < 1 || it.value > nprim) r.fail(`${what} ${it.name} has value ${it.value}, outside 1..${nprim}`, at);
    if (out[it.value - 1] !== undefined)
      r.fail(`${what} ${it.name} and ${out[it.value - 1]} share the value ${it.value}`, at);
    out[it.value - 1] = it.name;
  }
  return out;
}

/** Reads a compiled FLASK policy; throws PolicyFormatError (with the byte offset) for anything Xen would not load. */
export function parsePolicy(data: Uint8Array): FlaskPolicy {
  if (data.length > MAX_POLICY_BYTES)
    throw new PolicyFormatError(
      0,
      `${data.length} bytes is more than the ${MAX_POLICY_BYTES} a compiled policy may have`,
    );
  const r = new Reader(data);
  const magic = r.u32('magic number');
  if (magic !== POLICYDB_MAGIC)
    r.fail(
      `magic number 0x${magic.toString(16).padStart(8, '0')} is not a FLASK policy's (0x${POLICYDB_MAGIC.toString(16)})`,
      0,
    );
  const tlen = r.u32('target');
  if (tlen !== XEN_TARGET.length) r.fail(`target name length ${tlen}: a Xen policy's target is "${XEN_TARGET}"`, 4);
  r.need(tlen, 'target');
  const target = Buffer.from(data.subarray(r.off, r.off + tlen)).toString('latin1');
  r.off += tlen;
  if (target !== XEN_TARGET && target !== OLD_XEN_TARGET)
    r.fail(`target ${JSON.stringify(target)} is not "${XEN_TARGET}" (compile it with checkpolicy -t xen)`, 8);
  const version = r.u32('version');
  if (version < VERSION_MIN || version > VERSION_MAX)
    r.fail(`policy version ${version} is outside the ${VERSION_MIN}..${VERSION_MAX} Xen loads`, r.off - 4);
  const config = r.u32('config');
  const mls = (config & CONFIG_MLS) !== 0;
  const symNum = r.u32('symbol table count');
  const oconNum = r.u32('object context count');
  if (symNum !== SYM_NUM || oconNum !== OCON_NUM)
    r.fail(`table counts ${symNum}/${oconNum} are not a Xen policy's ${SYM_NUM}/${OCON_NUM}`, r.off - 8);
  if (version >= V.POLCAP) ebitmap(r, 'policy capabilities');
  if (version >= V.PERMISSIVE) ebitmap(r, 'permissive types');

  const raw: Raw = { version, mls, commons: new Map(), classes: [], roles: [], types: [], users: [], booleans: [] };
  const nprims: number[] = [];
  const tableAt: number[] = [];
  for (let t = 0; t < SYM_NUM; t++) {
    tableAt.push(r.off);
    nprims.push(r.u32('symbol count'));
    // every entry of every table is at least 8 bytes
    const nel = r.count('symbol table size', 8);
    for (let i = 0; i < nel; i++) symbols(r, raw, t);
  }
  const [, nClasses, nRoles, nTypes, nUsers, nBools] = nprims;
  const classNames = byValue(
    r,
    'class',
    nClasses,
    raw.classes.map(([name, c]) => ({ name, value: c.value })),
    tableAt[1],
  );
  const roleNames = byValue(r, 'role', nRoles, raw.roles, tableAt[2]);
  const userNames = byValue(r, 'user', nUsers, raw.users, tableAt[4]);
  byValue(r, 'boolean', nBools, raw.booleans, tableAt[5]);
  // Aliases share their type's value; the primary name is the one the value stands for.
  const typeNames: string[] = [];
  for (const t of raw.types) {
    if (t.value < 1 || t.value > nTypes)
      r.fail(`type ${t.name} has value ${t.value}, outside 1..${nTypes}`, tableAt[3]);
    if (t.props & PROPERTY_PRIMARY || t.props & PROPERTY_ATTRIBUTE) {
      if (typeNames[t.value - 1] !== undefined)
        r.fail(`types ${t.name} and ${typeNames[t.value - 1]} share the value ${t.value}`, tableAt[3]);
      typeNames[t.value - 1] = t.name;
    }
  }
  const names: Names = {
    types: typeNames,
    classes: classNames,
    roles: roleNames,
    users: userNames,
    nTypes,
    nClasses,
    nRoles,
    nUsers,
  };

  const rules: AvRule[] = [];
  const nrules = r.count('rule count', 12);
  for (let i = 0; i < nrules; i++) rules.push(avItem(r, names));
  if (version >= V.BOOL) {
    const boolState: boolean[] = [];
    for (const b of raw.booleans) boolState[b.value - 1] = b.state;
    const nconds = r.count('conditional count', 16);
    for (let i = 0; i < nconds; i++) {
      r.u32('conditional');
      const nexpr = r.count('conditional expression count', 8);
      const stack: boolean[] = [];
      for (let j = 0; j < nexpr; j++) {
        const at = r.off;
        const type = r.u32('conditional');
        const b = r.u32('conditional');
        const state = () => {
          if (b < 1 || b > nBools) r.fail(`a conditional names boolean ${b}, outside 1..${nBools}`, at);
          return boolState[b - 1] ?? false;
        };
        const pop = () => (stack.length ? stack.pop()! : r.fail('malformed conditional expression', at));
        if (type === 1) stack.push(state());
        else if (type === 2) stack.push(!pop());
        else if (type >= 3 && type <= 7) {
          const y = pop();
          const x = pop();
          stack.push(type === 3 ? x || y : type === 4 ? x && y : type === 5 ? x !== y : type === 6 ? x === y : x !== y);
        } else r.fail(`unknown conditional expression ${type}`, at);
      }
      if (stack.length !== 1) r.fail('malformed conditional expression');
      const on = stack[0];
      for (const branch of [on, !on]) {
        const n = r.count('conditional rule count', 12);
        for (let k = 0; k < n; k++) rules.push(avItem(r, names, branch));
      }
    }
  }
  const roleTrans = r.count('role transition count', 12);
  r.skip(roleTrans * (version >= V.ROLETRANS ? 16 : 12), 'role transitions');
  const roleAllow = r.count('role allow count', 8);
  r.skip(roleAllow * 8, 'role allows');
  if (version >= V.FILENAME_TRANS && r.u32('filename transitions') !== 0)
    r.fail('filename transitions are not part of a Xen policy', r.off - 4);

  const pciContexts: FlaskPolicy['pciContexts'] = [];
  // Xen reads a context's MLS range whenever the version has them, MLS policy or not.
  const ctxBytes = 12 + (version >= V.MLS ? 20 : 0);
  for (let o = 0; o < OCON_NUM; o++) {
    const what = ['initial SID', 'pirqcon', 'ioportcon', 'iomemcon', 'pcidevicecon', 'devicetreecon'][o];
    const nel = r.count(`${what} count`, 4 + ctxBytes);
    for (let i = 0; i < nel; i++) {
      if (o === 0 || o === 1) r.u32(what);
      else if (o === 2) r.skip(8, what);
      else if (o === 3) r.skip(version >= V.XEN_DEVICETREE ? 16 : 8, what);
      else if (o === 5) r.name(r.u32(what), what);
      const device = o === 4 ? r.u32(what) : 0;
      const c = context(r, names, version >= V.MLS, what);
      if (o === 4) pciContexts.push({ device, context: c });
    }
  }
  if (r.u32('genfs count') !== 0) r.fail('genfs entries are not part of a Xen policy', r.off - 4);
  if (version >= V.MLS) {
    const n = r.count('range transition count', 28);
    for (let i = 0; i < n; i++) {
      r.skip(version >= V.RANGETRANS ? 12 : 8, 'range transition');
      mlsRange(r, 'range transition');
    }
  }
  const typeAttrBits: number[][] = [];
  if (version >= V.AVTAB) {
    if (nTypes * 12 > r.remaining)
      r.fail(`${nTypes} types' attribute maps cannot fit in the ${r.remaining} bytes left`);
    for (let i = 0; i < nTypes; i++) typeAttrBits.push(ebitmap(r, `type ${typeNames[i] ?? i + 1}'s attributes`));
  }
  if (r.remaining !== 0) r.fail(`${r.remaining} bytes follow the end of the policy`);

  const types = new Map<string, PolicyType>();
  for (const t of raw.types) {
    const primary = typeNames[t.value - 1];
    if (t.props & PROPERTY_ATTRIBUTE) types.set(t.name, { name: t.name, value: t.value, kind: 'attribute' });
    else if (t.props & PROPERTY_PRIMARY) types.set(t.name, { name: t.name, value: t.value, kind: 'type' });
    else types.set(t.name, { name: t.name, value: t.value, kind: 'alias', aliasOf: primary });
  }
  const typeAttributes = new Map<string, Set<string>>();
  typeAttrBits.forEach((bits, i) => {
    const name = typeNames[i];
    if (name === undefined || types.get(name)?.kind !== 'type') return;
    const attrs = new Set<string>();
    for (const b of bits) {
      const a = typeNames[b];
      if (a !== undefined && types.get(a)?.kind === 'attribute') attrs.add(a);
    }
    typeAttributes.set(name, attrs);
  });
  for (const [name, t] of types)
    if (t.kind === 'type' && !typeAttributes.has(name)) typeAttributes.set(name, new Set());

  const named = (bits: number[], ns: string[]) =>
    new Set(bits.map((b) => ns[b]).filter((x): x is string => x !== undefined));
  const roles = new Map<string, Set<string>>();
  for (const role of raw.roles)
    roles.set(role.name, new Set([...named(role.types, typeNames)].filter((t) => types.get(t)?.kind === 'type')));
  const users = new Map<string, Set<string>>();
  for (const u of raw.users) users.set(u.name, named(u.roles, roleNames));
  const classes = new Map(raw.classes);
  const booleans = new Map(raw.booleans.map((b) => [b.name, b.state] as const));
  return { target, version, mls, users, roles, types, typeAttributes, classes, booleans, rules, pciContexts };
}
