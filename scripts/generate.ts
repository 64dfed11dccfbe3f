// `npm run generate`: dump the built provider's schema, regenerate the cdktf bindings under constructs/providers/
// and the registry docs under docs/. Everything it writes is committed; jest checks it is current.
// `npm run generate -- --generator @cdktn/provider-generator --out DIR` writes CDK Terrain (cdktn) bindings to DIR
// instead (the generator must be installed; nothing committed changes).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { dumpProviderSchema } from './schema/dump';
import { generateBindings } from './bindings/generate';
import type { GeneratorPackage } from './bindings/generate';
import { BINDINGS_OPTIONS, replaceTree } from './bindings/layout';
import { committedDocs, generateDocs } from './docs/sources';

const GENERATORS: GeneratorPackage[] = ['@cdktf/provider-generator', '@cdktn/provider-generator'];

async function main(): Promise<void> {
  const root = process.cwd();
  const { values } = parseArgs({ options: { generator: { type: 'string', default: GENERATORS[0] }, out: { type: 'string' } } });
  const generator = values.generator as GeneratorPackage;
  if (!GENERATORS.includes(generator)) throw new Error(`--generator must be one of ${GENERATORS.join(', ')}`);
  if (generator !== GENERATORS[0] && !values.out) throw new Error(`${generator} bindings need --out DIR: constructs/ is built on cdktf`);
  const schema = await dumpProviderSchema(path.join(root, 'dist/terraform-provider-xen'));

  const tmp = mkdtempSync(path.join(root, 'dist', '.bindings-'));
  try {
    await generateBindings(schema, tmp, { ...BINDINGS_OPTIONS, generator });
    const target = values.out ? path.resolve(values.out) : path.join(root, 'constructs/providers');
    replaceTree(path.join(tmp, 'providers'), target);
    console.error(`bindings: ${path.relative(root, target)}/xen (${generator})`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (values.out) return;

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
