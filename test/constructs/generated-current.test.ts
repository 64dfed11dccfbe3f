// The committed bindings of each construct flavour (constructs/providers/xen made by @cdktn/provider-generator,
// constructs/providers-cdktf/xen by @cdktf/provider-generator) and the docs (docs/index.md, resources/,
// data-sources/) must be what `npm run generate` makes from the provider built now: a schema change without
// regeneration fails here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { generateBindings } from '../../scripts/bindings/generate';
import { BINDINGS_OPTIONS, readTree } from '../../scripts/bindings/layout';
import { committedDocs, generateDocs } from '../../scripts/docs/sources';
import { dumpProviderSchema } from '../../scripts/schema/dump';
import type { ProvidersSchemaJson } from '../../scripts/schema/schema-json';
import { FLAVOURS } from '../../scripts/package/flavours';
import { DEFAULT_BINARY } from '../support/client';

const ROOT = path.resolve(__dirname, '../..');
const HINT = 'run `npm run generate` and commit the result';
let schema: ProvidersSchemaJson;

beforeAll(async () => {
  schema = await dumpProviderSchema(DEFAULT_BINARY);
});

function expectSameTree(fresh: Map<string, string>, committed: Map<string, string>, where: string): void {
  const missing = [...fresh.keys()].filter((k) => !committed.has(k));
  const stale = [...committed.keys()].filter((k) => !fresh.has(k));
  const differ = [...fresh.keys()].filter((k) => committed.has(k) && committed.get(k) !== fresh.get(k));
  if (missing.length + stale.length + differ.length > 0) {
    throw new Error(
      `${where} is out of date (${HINT}): missing ${JSON.stringify(missing)}, stale ${JSON.stringify(stale)}, differ ${JSON.stringify(differ)}`,
    );
  }
}

describe.each(FLAVOURS.map((f) => [f.id, f] as const))('%s flavour', (_id, f) => {
  test(`${f.bindingsDir}/xen is the ${f.generator} output for the current schema`, async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'tfxen-bindings-'));
    try {
      // The generators add to the schema they get (cdktf's adds the provider's alias): give each its own copy.
      await generateBindings(structuredClone(schema), tmp, { ...BINDINGS_OPTIONS, generator: f.generator });
      const fresh = readTree(path.join(tmp, 'providers'));
      expect(fresh.size).toBeGreaterThan(10);
      expectSameTree(fresh, readTree(path.join(ROOT, f.bindingsDir)), f.bindingsDir);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  test(`the generated provider class imports ${f.cdk} and pins our source and version constraint`, () => {
    const provider = readTree(path.join(ROOT, f.bindingsDir, 'xen/provider')).get('index.ts') ?? '';
    expect(provider).toContain(`import * as ${f.cdk} from '${f.cdk}';`);
    expect(provider).toContain(`terraformProviderSource: '${BINDINGS_OPTIONS.source}'`);
    expect(provider).toContain(`providerVersionConstraint: '${BINDINGS_OPTIONS.versionConstraint}'`);
  });
});

test('docs/ pages are the docs generator output for the current schema', () => {
  const fresh = generateDocs(ROOT, schema);
  expect([...fresh.keys()]).toEqual(expect.arrayContaining(['index.md', 'resources/vif.md', 'data-sources/host.md']));
  expectSameTree(fresh, committedDocs(ROOT), 'docs/');
});

test('every resource and data source attribute with a description appears on its page', () => {
  const docs = generateDocs(ROOT, schema);
  const p = Object.values(schema.provider_schemas)[0];
  for (const [kind, map] of [
    ['resources', p.resource_schemas],
    ['data-sources', p.data_source_schemas],
  ] as const) {
    for (const [type, s] of Object.entries(map ?? {})) {
      const page = docs.get(`${kind}/${type.replace(/^xen_/, '')}.md`)!;
      for (const name of Object.keys(s.block.attributes ?? {})) expect(page).toContain(`- \`${name}\` (`);
    }
  }
});

test('no page lists an attribute the schema does not have (the provider page had `alias`, a meta-argument)', () => {
  const docs = generateDocs(ROOT, schema);
  const p = Object.values(schema.provider_schemas)[0];
  type B = { attributes?: Record<string, { nested_type?: B }>; block_types?: Record<string, { block: unknown }> };
  const names = (b: B): string[] => [
    ...Object.entries(b.attributes ?? {}).flatMap(([n, a]) => [n, ...(a.nested_type ? names(a.nested_type) : [])]),
    ...Object.entries(b.block_types ?? {}).flatMap(([n, t]) => [n, ...names(t.block as never)]),
  ];
  const pages: Array<[string, string[]]> = [
    ['index.md', names(p.provider.block as never)],
    ...Object.entries(p.resource_schemas ?? {}).map(
      ([t, s]) => [`resources/${t.replace(/^xen_/, '')}.md`, names(s.block as never)] as [string, string[]],
    ),
    ...Object.entries(p.data_source_schemas ?? {}).map(
      ([t, s]) => [`data-sources/${t.replace(/^xen_/, '')}.md`, names(s.block as never)] as [string, string[]],
    ),
  ];
  for (const [page, known] of pages) {
    const listed = [...docs.get(page)!.matchAll(/^- `([a-z_0-9]+)` \(/gm)].map((m) => m[1]);
    expect({ page, phantom: listed.filter((n) => !known.includes(n)) }).toEqual({ page, phantom: [] });
  }
});
