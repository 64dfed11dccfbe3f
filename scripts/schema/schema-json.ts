// The `terraform providers schema -json` document, built from a tfplugin6 GetProviderSchema response the way
// Terraform's internal/command/jsonprovider marshals it, so tools written for Terraform's output (cdktf's provider
// generator, the docs generator) read ours without a terraform binary.
import { tfplugin6 } from '../../provider/protocol/generated/protocol';

export const FORMAT_VERSION = '1.0';

export interface AttributeJson {
  type?: unknown;
  nested_type?: NestedTypeJson;
  description?: string;
  description_kind: 'plain' | 'markdown';
  deprecated?: boolean;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  write_only?: boolean;
}

export interface NestedTypeJson {
  attributes?: Record<string, AttributeJson>;
  nesting_mode?: 'single' | 'list' | 'set' | 'map';
}

export interface BlockTypeJson {
  nesting_mode?: 'single' | 'list' | 'set' | 'map' | 'group';
  block?: BlockJson;
  min_items?: number;
  max_items?: number;
}

export interface BlockJson {
  attributes?: Record<string, AttributeJson>;
  block_types?: Record<string, BlockTypeJson>;
  description?: string;
  description_kind: 'plain' | 'markdown';
  deprecated?: boolean;
}

export interface SchemaJson {
  version: number;
  block: BlockJson;
}

/** internal/command/jsonfunction's parameter. */
export interface FunctionParameterJson {
  name?: string;
  description?: string;
  is_nullable?: boolean;
  type: unknown;
}

/** internal/command/jsonfunction's FunctionSignature. */
export interface FunctionSignatureJson {
  description?: string;
  summary?: string;
  deprecation_message?: string;
  return_type: unknown;
  parameters?: FunctionParameterJson[];
  variadic_parameter?: FunctionParameterJson;
}

export interface ProviderSchemaJson {
  provider: SchemaJson;
  resource_schemas?: Record<string, SchemaJson>;
  data_source_schemas?: Record<string, SchemaJson>;
  functions?: Record<string, FunctionSignatureJson>;
}

export interface ProvidersSchemaJson {
  format_version: string;
  provider_schemas: Record<string, ProviderSchemaJson>;
  /** Not in Terraform's output: cdktf's generator reads the provider version from here when present. */
  provider_versions?: Record<string, string>;
}

const BLOCK_NESTING: Record<number, BlockTypeJson['nesting_mode']> = {
  [tfplugin6.Schema.NestedBlock.NestingMode.SINGLE]: 'single',
  [tfplugin6.Schema.NestedBlock.NestingMode.LIST]: 'list',
  [tfplugin6.Schema.NestedBlock.NestingMode.SET]: 'set',
  [tfplugin6.Schema.NestedBlock.NestingMode.MAP]: 'map',
  [tfplugin6.Schema.NestedBlock.NestingMode.GROUP]: 'group',
};

const OBJECT_NESTING: Record<number, NestedTypeJson['nesting_mode']> = {
  [tfplugin6.Schema.Object.NestingMode.SINGLE]: 'single',
  [tfplugin6.Schema.Object.NestingMode.LIST]: 'list',
  [tfplugin6.Schema.Object.NestingMode.SET]: 'set',
  [tfplugin6.Schema.Object.NestingMode.MAP]: 'map',
};

function stringKind(kind: tfplugin6.StringKind | null | undefined): 'plain' | 'markdown' {
  return kind === tfplugin6.StringKind.MARKDOWN ? 'markdown' : 'plain';
}

/** Go's encoding/json with omitempty: zero values vanish, so only set what is non-zero. */
function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | null | undefined): void {
  if (value === undefined || value === null || value === false || value === '' || value === 0) return;
  target[key] = value;
}

function sortedRecord<V>(entries: Array<[string, V]>): Record<string, V> | undefined {
  if (entries.length === 0) return undefined;
  // Go marshals maps with sorted keys; sorting here makes dumps byte-stable and diffable.
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function attributeJson(attr: tfplugin6.Schema.IAttribute): AttributeJson {
  // Key order follows jsonprovider's struct so a dump reads like Terraform's.
  const out = {} as AttributeJson;
  if (attr.type && attr.type.length > 0) out.type = JSON.parse(Buffer.from(attr.type).toString('utf8'));
  if (attr.nestedType) {
    const nested: NestedTypeJson = {};
    setIf(
      nested,
      'attributes',
      sortedRecord((attr.nestedType.attributes ?? []).map((a) => [a.name ?? '', attributeJson(a)])),
    );
    setIf(nested, 'nesting_mode', OBJECT_NESTING[attr.nestedType.nesting ?? 0]);
    out.nested_type = nested;
  }
  setIf(out, 'description', attr.description);
  out.description_kind = stringKind(attr.descriptionKind);
  setIf(out, 'deprecated', attr.deprecated);
  setIf(out, 'required', attr.required);
  setIf(out, 'optional', attr.optional);
  setIf(out, 'computed', attr.computed);
  setIf(out, 'sensitive', attr.sensitive);
  setIf(out, 'write_only', attr.writeOnly);
  return out;
}

export function blockJson(block: tfplugin6.Schema.IBlock | null | undefined): BlockJson {
  const b = block ?? {};
  const out = {} as BlockJson;
  setIf(out, 'attributes', sortedRecord((b.attributes ?? []).map((a) => [a.name ?? '', attributeJson(a)])));
  setIf(
    out,
    'block_types',
    sortedRecord(
      (b.blockTypes ?? []).map((nb) => {
        const bt: BlockTypeJson = {};
        setIf(bt, 'nesting_mode', BLOCK_NESTING[nb.nesting ?? 0]);
        bt.block = blockJson(nb.block);
        setIf(bt, 'min_items', Number(nb.minItems ?? 0));
        setIf(bt, 'max_items', Number(nb.maxItems ?? 0));
        return [nb.typeName ?? '', bt];
      }),
    ),
  );
  setIf(out, 'description', b.description);
  out.description_kind = stringKind(b.descriptionKind);
  setIf(out, 'deprecated', b.deprecated);
  return out;
}

function schemaJson(schema: tfplugin6.ISchema | null | undefined): SchemaJson {
  return { version: Number(schema?.version ?? 0), block: blockJson(schema?.block) };
}

function schemaMap(map: { [k: string]: tfplugin6.ISchema } | null | undefined): Record<string, SchemaJson> | undefined {
  return sortedRecord(Object.entries(map ?? {}).map(([name, s]) => [name, schemaJson(s)]));
}

function typeJson(bytes: Uint8Array | null | undefined): unknown {
  return bytes && bytes.length > 0 ? JSON.parse(Buffer.from(bytes).toString('utf8')) : 'dynamic';
}

function parameterJson(p: tfplugin6.Function.IParameter): FunctionParameterJson {
  const out = {} as FunctionParameterJson;
  setIf(out, 'name', p.name);
  setIf(out, 'description', p.description);
  setIf(out, 'is_nullable', p.allowNullValue);
  out.type = typeJson(p.type);
  return out;
}

function functionJson(f: tfplugin6.IFunction): FunctionSignatureJson {
  const out = {} as FunctionSignatureJson;
  setIf(out, 'description', f.description);
  setIf(out, 'summary', f.summary);
  setIf(out, 'deprecation_message', f.deprecationMessage);
  out.return_type = typeJson(f.return?.type);
  if ((f.parameters ?? []).length > 0) out.parameters = (f.parameters ?? []).map(parameterJson);
  if (f.variadicParameter) out.variadic_parameter = parameterJson(f.variadicParameter);
  return out;
}

/** One provider's entry of the document. Throws on error diagnostics: a half schema must not become bindings. */
export function providerSchemaJson(res: tfplugin6.GetProviderSchema.IResponse): ProviderSchemaJson {
  const errors = (res.diagnostics ?? []).filter((d) => d.severity === tfplugin6.Diagnostic.Severity.ERROR);
  if (errors.length > 0) {
    throw new Error(`GetProviderSchema returned errors: ${errors.map((d) => `${d.summary}: ${d.detail}`).join('; ')}`);
  }
  const out: ProviderSchemaJson = { provider: schemaJson(res.provider) };
  setIf(out, 'resource_schemas', schemaMap(res.resourceSchemas));
  setIf(out, 'data_source_schemas', schemaMap(res.dataSourceSchemas));
  setIf(
    out,
    'functions',
    sortedRecord(Object.entries(res.functions ?? {}).map(([name, f]) => [name, functionJson(f)])),
  );
  return out;
}

export function providersSchemaJson(source: string, res: tfplugin6.GetProviderSchema.IResponse): ProvidersSchemaJson {
  return { format_version: FORMAT_VERSION, provider_schemas: { [source]: providerSchemaJson(res) } };
}
