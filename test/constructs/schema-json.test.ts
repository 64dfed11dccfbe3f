// The schema dump must be what `terraform providers schema -json` prints: cdktf's generator and the docs read it.
import * as fc from 'fast-check';
import { tfplugin6 } from '../../provider/protocol/generated/protocol';
import { blockJson, providersSchemaJson } from '../../scripts/schema/schema-json';
import type { BlockJson } from '../../scripts/schema/schema-json';
import { dumpProviderSchema, PROVIDER_SOURCE } from '../../scripts/schema/dump';
import { DEFAULT_BINARY } from '../support/client';
import { testWithTerraform, MINIMAL_CONFIG } from '../support/terraform';

const enc = (t: unknown) => Buffer.from(JSON.stringify(t));

describe('blockJson', () => {
  test('marshals like jsonprovider: omitempty fields, description_kind always, sorted names, nesting modes', () => {
    const block = tfplugin6.Schema.Block.create({
      description: 'A thing.',
      descriptionKind: tfplugin6.StringKind.MARKDOWN,
      attributes: [
        {
          name: 'zeta',
          type: enc('string'),
          optional: true,
          computed: true,
          description: 'z',
          descriptionKind: tfplugin6.StringKind.MARKDOWN,
        },
        { name: 'alpha', type: enc(['list', 'string']), required: true },
        {
          name: 'nested',
          computed: true,
          nestedType: {
            nesting: tfplugin6.Schema.Object.NestingMode.LIST,
            attributes: [{ name: 'x', type: enc('number'), computed: true, sensitive: true }],
          },
        },
      ],
      blockTypes: [
        {
          typeName: 'pci',
          nesting: tfplugin6.Schema.NestedBlock.NestingMode.LIST,
          block: { attributes: [{ name: 'bdf', type: enc('string'), required: true }] },
        },
        { typeName: 'dm', nesting: tfplugin6.Schema.NestedBlock.NestingMode.SINGLE, maxItems: 1, block: {} },
      ],
    });
    expect(JSON.stringify(blockJson(block))).toBe(
      JSON.stringify({
        attributes: {
          alpha: { type: ['list', 'string'], description_kind: 'plain', required: true },
          nested: {
            nested_type: {
              attributes: { x: { type: 'number', description_kind: 'plain', computed: true, sensitive: true } },
              nesting_mode: 'list',
            },
            description_kind: 'plain',
            computed: true,
          },
          zeta: { type: 'string', description: 'z', description_kind: 'markdown', optional: true, computed: true },
        },
        block_types: {
          dm: { nesting_mode: 'single', block: { description_kind: 'plain' }, max_items: 1 },
          pci: {
            nesting_mode: 'list',
            block: {
              attributes: { bdf: { type: 'string', description_kind: 'plain', required: true } },
              description_kind: 'plain',
            },
          },
        },
        description: 'A thing.',
        description_kind: 'markdown',
      } satisfies BlockJson),
    );
  });

  test('property: no zero values survive, every attribute and block has description_kind, keys are sorted', () => {
    const name = fc.stringMatching(/^[a-z][a-z_]{0,8}$/);
    const attr = fc.record({
      name,
      type: fc.constantFrom(enc('string'), enc('number'), enc('bool'), enc(['map', 'string'])),
      description: fc.option(fc.string(), { nil: undefined }),
      required: fc.boolean(),
      optional: fc.boolean(),
      computed: fc.boolean(),
      sensitive: fc.boolean(),
      deprecated: fc.boolean(),
      descriptionKind: fc.constantFrom(tfplugin6.StringKind.PLAIN, tfplugin6.StringKind.MARKDOWN),
    });
    const block = fc.record({
      attributes: fc.uniqueArray(attr, { selector: (a) => a.name, maxLength: 6 }),
      blockTypes: fc.uniqueArray(
        fc.record({
          typeName: name,
          nesting: fc.integer({ min: 1, max: 5 }),
          minItems: fc.nat(2),
          maxItems: fc.nat(2),
          block: fc.record({ attributes: fc.uniqueArray(attr, { selector: (a) => a.name, maxLength: 3 }) }),
        }),
        { selector: (b) => b.typeName, maxLength: 3 },
      ),
      description: fc.string(),
    });
    fc.assert(
      fc.property(block, (b) => {
        const json = blockJson(b);
        const check = (v: unknown, key = ''): void => {
          if (v === false || v === 0 || v === '') throw new Error(`zero value at ${key}`);
          if (v && typeof v === 'object' && !Array.isArray(v))
            for (const [k, x] of Object.entries(v)) check(x, `${key}.${k}`);
        };
        check(json);
        const walk = (blk: BlockJson): void => {
          expect(['plain', 'markdown']).toContain(blk.description_kind);
          const names = Object.keys(blk.attributes ?? {});
          expect(names).toEqual([...names].sort());
          for (const a of Object.values(blk.attributes ?? {}))
            expect(['plain', 'markdown']).toContain(a.description_kind);
          for (const bt of Object.values(blk.block_types ?? {})) walk(bt.block!);
        };
        walk(json);
        expect(Object.keys(json.attributes ?? {}).length).toBe(b.attributes.length);
      }),
    );
  });

  test('a response with error diagnostics is refused, not turned into half a schema', () => {
    expect(() =>
      providersSchemaJson(PROVIDER_SOURCE, {
        diagnostics: [{ severity: tfplugin6.Diagnostic.Severity.ERROR, summary: 'boom', detail: 'd' }],
      }),
    ).toThrow(/boom/);
  });
});

describe('dump from the built provider', () => {
  test('has every resource and data source of the provider, in the terraform document shape', async () => {
    const doc = await dumpProviderSchema(DEFAULT_BINARY);
    expect(doc.format_version).toBe('1.0');
    const p = doc.provider_schemas[PROVIDER_SOURCE];
    expect(Object.keys(p.resource_schemas ?? {})).toEqual(
      expect.arrayContaining([
        'xen_pci_assignable',
        'xen_driver_domain',
        'xen_domain',
        'xen_vif',
        'xen_disk',
        'xen_flask_policy',
      ]),
    );
    expect(Object.keys(p.data_source_schemas ?? {})).toEqual(
      expect.arrayContaining(['xen_host', 'xen_pci_devices', 'xen_domain']),
    );
    expect(p.provider.block.attributes?.connection).toMatchObject({
      type: 'string',
      optional: true,
      description_kind: 'markdown',
    });
  });

  testWithTerraform('equals `terraform providers schema -json` byte for byte (after key sorting)', async (tf) => {
    tf.writeFile('main.tf', MINIMAL_CONFIG);
    const res = await tf.run(['providers', 'schema', '-json']);
    expect(res.code).toBe(0);
    const sortKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sortKeys)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([k, x]) => [k, sortKeys(x)]),
            )
          : v;
    const ours = await dumpProviderSchema(DEFAULT_BINARY);
    expect(JSON.stringify(sortKeys(ours))).toBe(JSON.stringify(sortKeys(JSON.parse(res.stdout))));
  });
});
