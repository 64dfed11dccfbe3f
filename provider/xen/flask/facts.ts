// What plan needs to know of a FLASK policy, in a form that is small and JSON-safe (kept in state, in the provider's
// record of the policy it loaded, and in the simulator's state), and the label checks made against it. A label is
// checked the way Xen's security_context_to_sid does (user authorised for the role, role for the type; object_r is
// authorised for every type), and beyond that by what Xen's example policy means by its attributes: a domain's type
// has `domain_type`, a device's `resource_type`.

import { AVTAB, type FlaskPolicy } from './policydb';

export interface PolicyFacts {
  /** User -> its roles. */
  users: Record<string, string[]>;
  /** Role -> its types (object_r: none listed, every type allowed). */
  roles: Record<string, string[]>;
  /** Type -> its attributes (types only: no attributes, no aliases). */
  types: Record<string, string[]>;
  /** Alias -> the type it names. */
  aliases: Record<string, string>;
  /** Pairs (domain type, device type) for which the policy allows `use_noiommu` on class resource. */
  noiommu: Array<[string, string]>;
}

export const DOMAIN_ATTRIBUTE = 'domain_type';
export const RESOURCE_ATTRIBUTE = 'resource_type';
const SELF_ATTRIBUTE = 'domain_self_type';
/** An expansion of attribute rules past this many pairs is cut: no real policy comes near it. */
const MAX_PAIRS = 10_000;
const MAX_STEPS = 1_000_000;

const sorted = (s: Iterable<string>) => [...s].sort();

/**
 * Pairs (source type, target type) allowed `perm` on class `cls`, attributes expanded to their types. The expansion
 * is bounded (MAX_PAIRS pairs, MAX_STEPS steps): a crafted policy must not make a plan spin.
 */
export function allowedPairs(p: FlaskPolicy, cls: string, perm: string): Array<[string, string]> {
  const c = p.classes.get(cls);
  const bit = c ? c.perms.indexOf(perm) : -1;
  if (bit < 0) return [];
  const byAttr = new Map<string, string[]>();
  for (const [type, attrs] of p.typeAttributes) {
    for (const a of attrs) {
      const list = byAttr.get(a);
      if (list) list.push(type);
      else byAttr.set(a, [type]);
    }
  }
  const members = (name: string): string[] => {
    const t = p.types.get(name);
    if (!t) return [];
    if (t.kind === 'type') return [name];
    if (t.kind === 'alias') return t.aliasOf ? [t.aliasOf] : [];
    return byAttr.get(name) ?? [];
  };
  const out = new Map<string, [string, string]>();
  let steps = 0;
  for (const r of p.rules) {
    if (r.kind !== AVTAB.ALLOWED || r.cls !== cls || r.conditional === false || !((r.data >>> bit) & 1)) continue;
    for (const s of members(r.source)) {
      for (const t of members(r.target)) {
        out.set(`${s} ${t}`, [s, t]);
        if (out.size >= MAX_PAIRS || ++steps >= MAX_STEPS) return sortPairs(out);
      }
    }
  }
  return sortPairs(out);
}

function sortPairs(m: Map<string, [string, string]>): Array<[string, string]> {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

export function policyFacts(p: FlaskPolicy): PolicyFacts {
  const users: Record<string, string[]> = {};
  for (const [u, roles] of p.users) users[u] = sorted(roles);
  const roles: Record<string, string[]> = {};
  for (const [r, types] of p.roles) roles[r] = sorted(types);
  const types: Record<string, string[]> = {};
  for (const [t, attrs] of [...p.typeAttributes].sort(([a], [b]) => (a < b ? -1 : 1))) types[t] = sorted(attrs);
  const aliases: Record<string, string> = {};
  for (const t of p.types.values()) if (t.kind === 'alias' && t.aliasOf) aliases[t.name] = t.aliasOf;
  return { users, roles, types, aliases, noiommu: allowedPairs(p, 'resource', 'use_noiommu') };
}

/** Facts for a policy known only by its type names (a simulated host's inventory): any user and role is accepted. */
export function typesOnlyFacts(names: readonly string[]): PolicyFacts {
  const types: Record<string, string[]> = {};
  for (const n of names) types[n] = [];
  return { users: {}, roles: {}, types, aliases: {}, noiommu: [] };
}

const has = (facts: PolicyFacts, type: string, attr: string) =>
  (facts.types[resolve(facts, type)] ?? []).includes(attr);
const resolve = (facts: PolicyFacts, type: string) => facts.aliases[type] ?? type;
/** Whether the facts hold users and roles (a types-only description does not). */
const knowsUsers = (facts: PolicyFacts) => Object.keys(facts.users).length > 0;
const knowsAttributes = (facts: PolicyFacts, attr: string) => Object.values(facts.types).some((a) => a.includes(attr));

/** Types a domain may be labelled with: the domain types the role system_r (or, without it, any role) allows. */
export function domainTypes(facts: PolicyFacts): string[] {
  const all = Object.keys(facts.types);
  const domains = knowsAttributes(facts, DOMAIN_ATTRIBUTE) ? all.filter((t) => has(facts, t, DOMAIN_ATTRIBUTE)) : all;
  return domains.filter((t) => !has(facts, t, SELF_ATTRIBUTE)).sort();
}

/** Types a device may be labelled with (resource_type members). */
export function resourceTypes(facts: PolicyFacts): string[] {
  return Object.keys(facts.types)
    .filter((t) => has(facts, t, RESOURCE_ATTRIBUTE))
    .sort();
}

export interface ParsedLabel {
  user: string;
  role: string;
  type: string;
  /** The MLS part, when given. */
  range?: string;
}

export function parseLabel(label: string): ParsedLabel | undefined {
  const parts = label.split(':');
  if (parts.length < 3 || parts.slice(0, 3).some((p) => !/^[A-Za-z0-9_.-]+$/.test(p))) return undefined;
  const [user, role, type, ...range] = parts;
  return range.length ? { user, role, type, range: range.join(':') } : { user, role, type };
}

/** A label the policy would not accept, in the user's terms: what is wrong and what would be valid. */
export interface LabelProblem {
  summary: string;
  detail: string;
}

const list = (xs: readonly string[], max = 12) =>
  xs.length === 0
    ? '(none)'
    : xs.length > max
      ? `${xs.slice(0, max).join(', ')}, ... (${xs.length} in all)`
      : xs.join(', ');

/** The context checks Xen makes (context_isvalid): user, role and type defined, user may take role, role may have type. */
function contextProblem(
  facts: PolicyFacts,
  l: ParsedLabel,
  label: string,
  wantType: string,
  validTypes: string[],
): LabelProblem | undefined {
  const q = JSON.stringify(label);
  const type = resolve(facts, l.type);
  if (facts.types[type] === undefined) {
    const what = Object.values(facts.types).some((a) => a.includes(l.type))
      ? `${l.type} is an attribute, not a type`
      : `the policy has no type ${l.type}`;
    return {
      summary: `FLASK label ${q}: unknown type`,
      detail: `${what}. Valid ${wantType} types in this policy: ${list(validTypes)}.`,
    };
  }
  if (!knowsUsers(facts)) return undefined;
  if (!facts.users[l.user]) {
    return {
      summary: `FLASK label ${q}: unknown user`,
      detail: `The policy has no user ${l.user}; its users are ${list(Object.keys(facts.users).sort())}.`,
    };
  }
  if (!facts.roles[l.role]) {
    return {
      summary: `FLASK label ${q}: unknown role`,
      detail: `The policy has no role ${l.role}; its roles are ${list(Object.keys(facts.roles).sort())}.`,
    };
  }
  if (l.role === 'object_r') return undefined;
  if (!facts.users[l.user].includes(l.role)) {
    return {
      summary: `FLASK label ${q}: user ${l.user} may not take role ${l.role}`,
      detail: `In this policy ${l.user} has the roles ${list(facts.users[l.user])}.`,
    };
  }
  if (!facts.roles[l.role].includes(type)) {
    return {
      summary: `FLASK label ${q}: role ${l.role} may not have type ${l.type}`,
      detail: `Xen refuses the label (libxl: "Invalid init_seclabel"). Types of role ${l.role} that are ${wantType} types: ${list(validTypes.filter((t) => facts.roles[l.role].includes(t)))}.`,
    };
  }
  return undefined;
}

/** Why a domain label (seclabel, init_seclabel, a device model's or stub domain's) does not fit the policy. */
export function checkDomainLabel(facts: PolicyFacts, label: string): LabelProblem | undefined {
  const l = parseLabel(label);
  const valid = domainTypes(facts);
  if (!l)
    return {
      summary: `FLASK label ${JSON.stringify(label)} is not USER:ROLE:TYPE`,
      detail: `A domain label looks like system_u:system_r:domU_t. Valid domain types in this policy: ${list(valid)}.`,
    };
  if (
    knowsAttributes(facts, DOMAIN_ATTRIBUTE) &&
    facts.types[resolve(facts, l.type)] !== undefined &&
    !has(facts, l.type, DOMAIN_ATTRIBUTE)
  ) {
    const device = has(facts, l.type, RESOURCE_ATTRIBUTE);
    return {
      summary: `FLASK label ${JSON.stringify(label)}: ${l.type} is ${device ? 'a device (resource) type' : 'not a domain type'}`,
      detail:
        `A domain must be labelled with a domain type (one with the attribute ${DOMAIN_ATTRIBUTE}); Xen refuses this one (libxl: "Invalid init_seclabel"). ` +
        `Valid domain types in this policy: ${list(valid)}.` +
        (device
          ? ` A device type labels a passed-through device (system_u:object_r:${l.type}), set with flask-label-pci.`
          : ''),
    };
  }
  if (l.role === 'object_r' && knowsUsers(facts)) {
    // Xen accepts any type with object_r (the role of objects), so only this check stands between it and a domain
    // that runs with an object's role.
    return {
      summary: `FLASK label ${JSON.stringify(label)}: object_r is the role of objects (devices), not of domains`,
      detail: `Give the domain a role its user may take (${list(facts.users[l.user] ?? Object.keys(facts.roles).filter((r) => r !== 'object_r'))}). Valid domain types in this policy: ${list(valid)}.`,
    };
  }
  return contextProblem(facts, l, label, 'domain', valid);
}

/** Why a device label (a PCI device's, applied with flask-label-pci) does not fit the policy. */
export function checkDeviceLabel(facts: PolicyFacts, label: string): LabelProblem | undefined {
  const l = parseLabel(label);
  const valid = resourceTypes(facts);
  const q = JSON.stringify(label);
  if (!l)
    return {
      summary: `FLASK label ${q} is not USER:ROLE:TYPE`,
      detail: `A device label looks like system_u:object_r:nic_dev_t. Valid device types in this policy: ${list(valid)}.`,
    };
  if (l.role !== 'object_r') {
    return {
      summary: `FLASK device label ${q}: the role must be object_r`,
      detail: `Devices are objects: label it ${l.user}:object_r:${l.type}. Valid device types in this policy: ${list(valid)}.`,
    };
  }
  if (
    knowsAttributes(facts, RESOURCE_ATTRIBUTE) &&
    facts.types[resolve(facts, l.type)] !== undefined &&
    !has(facts, l.type, RESOURCE_ATTRIBUTE)
  ) {
    return {
      summary: `FLASK device label ${q}: ${l.type} is ${has(facts, l.type, DOMAIN_ATTRIBUTE) ? 'a domain type' : 'not a device type'}`,
      detail: `A device is labelled with a device type (one with the attribute ${RESOURCE_ATTRIBUTE}). Valid device types in this policy: ${list(valid)}.`,
    };
  }
  return contextProblem(facts, l, label, 'device', valid);
}

/** Domain types the policy lets use devices without an IOMMU, with the device types they may so use. */
export function noIommuDomains(facts: PolicyFacts): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [s, t] of facts.noiommu) out.set(s, [...(out.get(s) ?? []), t]);
  return out;
}
