// Loads the shared reference data for the cty tests: go-cty's msgpack vectors and the Terraform 1.11 wire
// recordings, with the fake provider's schema turned into cty types.

import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  parseJsonText,
  parseTypeJson,
  typeFromJsonNode,
  type CtyType,
  type JsonNode,
} from '../../../provider/protocol/cty';

// The shared reference data sits beside the checkout (../shared/fixtures from the repository root).
export const FIXTURES = process.env.XEN_FIXTURES_DIR ?? path.resolve(__dirname, '../../../../shared/fixtures');

export interface Vector {
  index: number;
  type: CtyType;
  typeNode: JsonNode;
  /** value_json as parsed losslessly (JSON.parse would round 2^53+1 and 1e100). */
  valueNode: JsonNode;
  hasUnknown: boolean;
  hex: string;
  note: string;
}

function member(node: JsonNode, key: string): JsonNode {
  if (node.kind !== 'object') throw new Error(`expected an object for ${key}`);
  const found = node.members.find(([k]) => k === key);
  if (!found) throw new Error(`missing ${key}`);
  return found[1];
}

export function loadVectors(): Vector[] {
  const root = parseJsonText(fs.readFileSync(path.join(FIXTURES, 'cty-vectors.json')));
  if (root.kind !== 'array') throw new Error('vectors: expected an array');
  return root.items.map((item, index) => {
    const typeNode = member(item, 'type');
    const str = (k: string) => {
      const n = member(item, k);
      if (n.kind !== 'string') throw new Error(k);
      return n.value;
    };
    const unk = member(item, 'has_unknown');
    return {
      index,
      type: typeFromJsonNode(typeNode),
      typeNode,
      valueNode: member(item, 'value_json'),
      hasUnknown: unk.kind === 'bool' && unk.value,
      hex: str('msgpack_hex'),
      note: str('note'),
    };
  });
}

// ------------------------------------------------------------------------------------------ wire recordings

interface SchemaAttribute {
  name: string;
  type?: string;
  nestedType?: { attributes: SchemaAttribute[]; nesting: string };
}
interface SchemaBlock {
  attributes?: SchemaAttribute[];
  blockTypes?: { typeName: string; block: SchemaBlock; nesting: string }[];
}
interface Schema {
  block: SchemaBlock;
}
export interface ProviderSchemaJson {
  provider: Schema;
  resourceSchemas: Record<string, Schema>;
  dataSourceSchemas: Record<string, Schema>;
}

function nest(nesting: string, obj: CtyType): CtyType {
  switch (nesting) {
    case 'SINGLE':
    case 'GROUP':
      return obj;
    case 'LIST':
      return ['list', obj];
    case 'SET':
      return ['set', obj];
    case 'MAP':
      return ['map', obj];
    default:
      throw new Error(`nesting ${nesting}`);
  }
}

function attrsType(attributes: SchemaAttribute[]): Record<string, CtyType> {
  const out: Record<string, CtyType> = {};
  for (const a of attributes) {
    if (a.type) out[a.name] = parseTypeJson(Buffer.from(a.type, 'base64'));
    else if (a.nestedType) out[a.name] = nest(a.nestedType.nesting, ['object', attrsType(a.nestedType.attributes)]);
    else throw new Error(`attribute ${a.name} has no type`);
  }
  return out;
}

export function blockType(block: SchemaBlock): CtyType {
  const attrs = attrsType(block.attributes ?? []);
  for (const b of block.blockTypes ?? []) attrs[b.typeName] = nest(b.nesting, blockType(b.block));
  return ['object', attrs];
}

export interface WireValue {
  /** e.g. "02-plan/p3/009-PlanResourceChange.request.json proposedNewState" */
  where: string;
  type: CtyType;
  bytes: Uint8Array;
}

export interface RawStateCase {
  where: string;
  type: CtyType;
  json: Uint8Array;
  upgraded: Uint8Array;
}

const TF = path.join(FIXTURES, 'terraform-1.11');

function processDirs(): string[] {
  const out: string[] = [];
  for (const step of fs.readdirSync(TF).sort()) {
    const stepDir = path.join(TF, step);
    if (!fs.statSync(stepDir).isDirectory()) continue;
    for (const p of fs.readdirSync(stepDir).sort()) {
      if (/^p\d+$/.test(p)) out.push(path.join(stepDir, p));
    }
  }
  return out;
}

type Json = { [k: string]: unknown };

function collectMsgpack(
  node: unknown,
  key: string,
  onValue: (field: string, b64: string, parent: Json) => void,
  parent?: Json,
): void {
  if (Array.isArray(node)) {
    node.forEach((n) => collectMsgpack(n, key, onValue, parent));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const obj = node as Json;
  if (typeof obj.msgpack === 'string') onValue(key, obj.msgpack, parent ?? obj);
  for (const [k, v] of Object.entries(obj)) collectMsgpack(v, k, onValue, obj);
}

export function loadWire(): { values: WireValue[]; rawStates: RawStateCase[] } {
  const values: WireValue[] = [];
  const rawStates: RawStateCase[] = [];
  for (const dir of processDirs()) {
    const schema = JSON.parse(
      fs.readFileSync(path.join(dir, '001-GetProviderSchema.response.json'), 'utf8'),
    ) as ProviderSchemaJson;
    const typeFor = (rpc: string, typeName: string | undefined): CtyType => {
      if (!typeName) return blockType(schema.provider.block);
      const table = /DataResource|DataSource/.test(rpc) ? schema.dataSourceSchemas : schema.resourceSchemas;
      return blockType(table[typeName].block);
    };
    for (const file of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.request.json'))
      .sort()) {
      const rpc = file.replace(/^\d+-/, '').replace('.request.json', '');
      const req = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Json;
      const respFile = file.replace('.request.json', '.response.json');
      const resp = JSON.parse(fs.readFileSync(path.join(dir, respFile), 'utf8')) as Json;
      const typeName = typeof req.typeName === 'string' ? req.typeName : undefined;
      const rel = path.relative(TF, path.join(dir, file));
      for (const [msg, label] of [
        [req, rel],
        [resp, path.relative(TF, path.join(dir, respFile))],
      ] as const) {
        collectMsgpack(msg, '', (field, b64, parent) => {
          const tn = typeof parent.typeName === 'string' ? parent.typeName : typeName;
          values.push({ where: `${label} ${field}`, type: typeFor(rpc, tn), bytes: Buffer.from(b64, 'base64') });
        });
      }
      if (rpc === 'UpgradeResourceState') {
        const raw = (req.rawState as Json | undefined)?.json;
        const up = (resp.upgradedState as Json | undefined)?.msgpack;
        if (typeof raw === 'string' && typeof up === 'string') {
          rawStates.push({
            where: rel,
            type: typeFor(rpc, typeName),
            json: Buffer.from(raw, 'base64'),
            upgraded: Buffer.from(up, 'base64'),
          });
        }
      }
    }
  }
  return { values, rawStates };
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

export function fromHex(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
}
