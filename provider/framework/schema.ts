// The schema DSL: how resources declare their attributes, and the two things derived from a declaration, the
// cty object type the values travel as, and the tfplugin6 Schema message Terraform reads.

import type { tfplugin6 } from '../protocol/generated/protocol';
import type { CtyType, CtyValue } from '../protocol/cty/types';
import type { Validator } from './validators';

export type Nesting = 'single' | 'list' | 'set' | 'map';

interface AttributeCommon {
  /** Markdown; becomes the registry docs and the CDKTF doc comments. */
  description: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: string;
  /** Used when the configuration leaves the attribute null; implies optional + computed. */
  default?: CtyValue;
  /** A change to this attribute cannot be made in place: Terraform shows "forces replacement" on it. */
  requiresReplace?: boolean;
  /** A computed value that does not change once known: keep the prior state's value in plans instead of unknown. */
  useStateForUnknown?: boolean;
  validators?: Validator[];
  /**
   * Two spellings libxl treats as the same (e.g. `03:00.0` and `0000:03:00.0`). When the configuration says the
   * same thing as the prior state in other words, the plan keeps the prior spelling and shows no change: Terraform
   * accepts a planned value equal to prior state as "functionally equivalent" to config.
   */
  equivalent?: (config: string, prior: string) => boolean;
  /**
   * Terraform >= 1.11 passes the configured value to the provider and never stores it in plan or state (secrets such
   * as passwords). The provider gets it only from the configuration (ctx.config in plan and apply); planned and new
   * state always hold null. Managed resources only; never computed, defaulted or requiresReplace (there is no prior
   * value to compare): pair it with an ordinary `..._version` attribute that does force replacement.
   */
  writeOnly?: boolean;
}

export interface ValueAttribute extends AttributeCommon {
  type: CtyType;
  nested?: undefined;
}

export interface NestedAttribute extends AttributeCommon {
  type?: undefined;
  nested: { nesting: Nesting; attributes: Record<string, Attribute> };
}

export type Attribute = ValueAttribute | NestedAttribute;

export interface NestedBlock {
  nesting: Nesting | 'group';
  block: Block;
  minItems?: number;
  maxItems?: number;
  description?: string;
  requiresReplace?: boolean;
}

export interface Block {
  description?: string;
  deprecated?: string;
  attributes: Record<string, Attribute>;
  blocks?: Record<string, NestedBlock>;
}

export interface Schema {
  /** Bumped when stored state needs upgrading; UpgradeResourceState receives the stored version. */
  version?: number;
  block: Block;
}

export function isOptionalComputed(a: Attribute): boolean {
  return a.default !== undefined || (!!a.optional && !!a.computed);
}

export function isComputedOnly(a: Attribute): boolean {
  return !!a.computed && !a.optional && !a.required && a.default === undefined;
}

function nestedType(nesting: Nesting, obj: CtyType): CtyType {
  switch (nesting) {
    case 'single':
      return obj;
    case 'list':
      return ['list', obj];
    case 'set':
      return ['set', obj];
    case 'map':
      return ['map', obj];
  }
}

export function attributeType(a: Attribute): CtyType {
  if (a.nested) return nestedType(a.nested.nesting, objectType(a.nested.attributes));
  return a.type;
}

function objectType(attributes: Record<string, Attribute>, blocks: Record<string, NestedBlock> = {}): CtyType {
  const attrs: Record<string, CtyType> = Object.create(null);
  for (const name of Object.keys(attributes).sort()) attrs[name] = attributeType(attributes[name]);
  for (const name of Object.keys(blocks).sort()) {
    const nb = blocks[name];
    const inner = blockType(nb.block);
    attrs[name] = nb.nesting === 'single' || nb.nesting === 'group' ? inner : nestedType(nb.nesting, inner);
  }
  return ['object', attrs];
}

// Schemas are built once and never changed, and planning asks for the same block's type on every request.
const blockTypes = new WeakMap<Block, CtyType>();

/** The cty type of a whole block's value (what config, plan and state are encoded as). */
export function blockType(block: Block): CtyType {
  let t = blockTypes.get(block);
  if (!t) blockTypes.set(block, (t = objectType(block.attributes, block.blocks)));
  return t;
}

// tfplugin6 enum values (protocol facts).
const STRING_KIND_MARKDOWN = 1 as tfplugin6.StringKind;
const OBJECT_NESTING = { single: 1, list: 2, set: 3, map: 4 } as Record<Nesting, tfplugin6.Schema.Object.NestingMode>;
const BLOCK_NESTING = { single: 1, list: 2, set: 3, map: 4, group: 5 } as Record<
  Nesting | 'group',
  tfplugin6.Schema.NestedBlock.NestingMode
>;

function typeBytes(t: CtyType): Buffer {
  return Buffer.from(JSON.stringify(t));
}

function protoAttribute(name: string, a: Attribute): tfplugin6.Schema.IAttribute {
  const optional = !!a.optional || a.default !== undefined;
  const computed = !!a.computed || a.default !== undefined;
  const out: tfplugin6.Schema.IAttribute = {
    name,
    description: a.description,
    descriptionKind: STRING_KIND_MARKDOWN,
    required: !!a.required,
    optional: optional && !a.required,
    computed,
    sensitive: !!a.sensitive,
    deprecated: !!a.deprecated,
    writeOnly: !!a.writeOnly,
  };
  if (a.nested) {
    out.nestedType = {
      nesting: OBJECT_NESTING[a.nested.nesting],
      attributes: Object.keys(a.nested.attributes)
        .sort()
        .map((n) => protoAttribute(n, a.nested!.attributes[n])),
    };
  } else {
    out.type = typeBytes(a.type);
  }
  return out;
}

function protoBlock(block: Block, version: number): tfplugin6.Schema.IBlock {
  const blocks = block.blocks ?? {};
  return {
    version,
    description: block.description ?? '',
    descriptionKind: STRING_KIND_MARKDOWN,
    deprecated: !!block.deprecated,
    attributes: Object.keys(block.attributes)
      .sort()
      .map((n) => protoAttribute(n, block.attributes[n])),
    blockTypes: Object.keys(blocks)
      .sort()
      .map((n) => ({
        typeName: n,
        nesting: BLOCK_NESTING[blocks[n].nesting],
        minItems: blocks[n].minItems ?? 0,
        maxItems: blocks[n].maxItems ?? 0,
        block: protoBlock({ ...blocks[n].block, description: blocks[n].description ?? blocks[n].block.description }, 0),
      })),
  };
}

/** The tfplugin6.Schema message (as a plain object for the generated encoder). */
export function toProtoSchema(schema: Schema): tfplugin6.ISchema {
  const version = schema.version ?? 0;
  return { version, block: protoBlock(schema.block, version) };
}

/**
 * Checks a declaration once at start-up so a schema mistake is a test failure, not a Terraform error. Write-only
 * attributes are allowed only where Terraform supports them (managed resources).
 */
export function checkSchema(schema: Schema, where: string, opts: { writeOnly?: boolean } = {}): void {
  const visit = (block: Block, path: string, inSet: boolean) => {
    for (const [name, a] of Object.entries(block.attributes)) {
      const p = `${path}.${name}`;
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`${where}: attribute name ${p} is not a valid identifier`);
      if (!a.required && !a.optional && !a.computed && a.default === undefined) {
        throw new Error(`${where}: ${p} must be required, optional or computed`);
      }
      if (a.required && (a.optional || a.computed || a.default !== undefined)) {
        throw new Error(`${where}: ${p} is required and cannot also be optional, computed or defaulted`);
      }
      if (!a.description) throw new Error(`${where}: ${p} has no description`);
      if (a.writeOnly) {
        if (!opts.writeOnly)
          throw new Error(`${where}: ${p} is write-only, which Terraform allows in managed resources only`);
        if (a.computed || a.default !== undefined || a.requiresReplace || a.useStateForUnknown || a.nested) {
          throw new Error(
            `${where}: ${p} is write-only and cannot be computed, defaulted, nested, requiresReplace or useStateForUnknown`,
          );
        }
        if (inSet)
          throw new Error(`${where}: ${p} is write-only inside a set, whose elements Terraform identifies by value`);
      }
      if (a.nested) visit({ attributes: a.nested.attributes }, p, inSet || a.nested.nesting === 'set');
    }
    for (const [name, b] of Object.entries(block.blocks ?? {}))
      visit(b.block, `${path}.${name}`, inSet || b.nesting === 'set');
  };
  visit(schema.block, where, false);
}
