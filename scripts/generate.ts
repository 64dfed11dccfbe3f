// `npm run generate`: dump the built provider's schema, regenerate the cdktf bindings under constructs/providers/
// and the registry docs under docs/. Everything it writes is committed; jest checks it is current.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { dumpProviderSchema } from './schema/dump';
import { generateBindings } from './bindings/generate';
import type { GeneratorPackage } from './bindings/generate';
import { BINDINGS_OPTIONS, replaceTree } from './bindings/layout';
import { committedDocs, generateDocs } from './docs/sources';

async function main(): Promise<void> {
  const root = process.cwd();
  const generator = (process.env.CDK_PROVIDER_GENERATOR as GeneratorPackage | undefined) ?? '@cdktf/provider-generator';
  const schema = await dumpProviderSchema(path.join(root, 'dist/terraform-provider-xen'));
  const tmp = mkdtempSync(path.join(root, 'dist', '.bindings-'));
  try {
    await generateBindings(schema, tmp, { ...BINDINGS_OPTIONS, generator });
    replaceTree(path.join(tmp, 'providers'), path.join(root, 'constructs/providers'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.error(`bindings: constructs/providers/xen (${generator})`);

  const docs = generateDocs(root, schema);
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
