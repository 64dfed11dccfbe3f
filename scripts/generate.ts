// `npm run generate`: dump the built provider's schema, regenerate the provider bindings of every construct flavour
// (cdktn's with @cdktn/provider-generator under constructs/providers/, cdktf's with @cdktf/provider-generator under
// constructs/providers-cdktf/; scripts/package/flavours.ts) and the registry docs under docs/. Everything it writes
// is committed; jest checks it is current.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { dumpProviderSchema } from './schema/dump';
import { generateBindings } from './bindings/generate';
import { BINDINGS_OPTIONS, replaceTree } from './bindings/layout';
import { committedDocs, generateDocs } from './docs/sources';
import { FLAVOURS } from './package/flavours';

async function main(): Promise<void> {
  const root = process.cwd();
  const schema = await dumpProviderSchema(path.join(root, 'dist/terraform-provider-xen'));
  // The provider generators add attributes to the schema they are given (cdktf's adds the provider's `alias`, which
  // is a meta-argument, not an attribute): the docs are rendered from the schema as the provider reports it.
  const docs = generateDocs(root, structuredClone(schema));

  for (const f of FLAVOURS) {
    const tmp = mkdtempSync(path.join(root, 'dist', '.bindings-'));
    try {
      await generateBindings(structuredClone(schema), tmp, { ...BINDINGS_OPTIONS, generator: f.generator });
      replaceTree(path.join(tmp, 'providers'), path.join(root, f.bindingsDir));
      console.error(`bindings: ${f.bindingsDir}/xen (${f.generator})`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  for (const stale of committedDocs(root).keys()) if (!docs.has(stale)) rmSync(path.join(root, 'docs', stale));
  for (const [rel, content] of docs) {
    mkdirSync(path.dirname(path.join(root, 'docs', rel)), { recursive: true });
    writeFileSync(path.join(root, 'docs', rel), content);
  }
  console.error(`docs: ${docs.size} pages under docs/`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
