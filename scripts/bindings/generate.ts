// Typed provider bindings from a `terraform providers schema -json` document, through the same code path `cdktn get`
// / `cdktf get` take (TerraformProviderGenerator + CodeMaker), so the provider class carries our source and version
// constraint. The generator package is a parameter: '@cdktn/provider-generator' (CDK Terrain; its output imports
// cdktn) or '@cdktf/provider-generator' (cdktf 0.21, same API); each construct flavour uses its own
// (scripts/package/flavours.ts).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ProvidersSchemaJson } from '../schema/schema-json';

export type GeneratorPackage = '@cdktf/provider-generator' | '@cdktn/provider-generator';

export interface GenerateOptions {
  /** Provider source as users write it in required_providers. */
  source: string;
  /** Version constraint the generated provider class pins, e.g. "~> 0.1". */
  versionConstraint: string;
  /** The provider's own version, recorded in the generated metadata. */
  providerVersion: string;
  generator?: GeneratorPackage;
}

interface CodeMakerLike {
  save(outdir: string): Promise<void>;
}

interface GeneratorModule {
  CodeMaker: new () => CodeMakerLike;
  TerraformProviderGenerator: new (code: CodeMakerLike, schema: unknown) => { generate(target: unknown): void };
}

interface CommonsModule {
  Language: { TYPESCRIPT: unknown };
  TerraformProviderConstraint: new (item: string) => unknown;
  ConstructsMakerProviderTarget: new (constraint: unknown, language: unknown) => unknown;
}

/** The commons package the generator itself was built against (cdktf and cdktn each ship their own). */
function loadCommons(generator: GeneratorPackage): CommonsModule {
  const generatorDir = path.dirname(require.resolve(`${generator}/package.json`));
  const commonsName = generator.startsWith('@cdktn/') ? '@cdktn/commons' : '@cdktf/commons';
  return require(require.resolve(commonsName, { paths: [generatorDir] })) as CommonsModule;
}

/**
 * Loading cdktf's commons runs `terraform version` as a side effect (for its telemetry), which prints CLI-config
 * complaints and would make generation depend on a terraform binary: point that one spawn at a name that does not
 * exist (the failure is swallowed by commons) while the modules load. Commons also reports usage to HashiCorp's
 * checkpoint service unless CHECKPOINT_DISABLE is set when it loads: generation stays offline.
 */
function loadWithoutTerraform<T>(load: () => T): T {
  process.env.CHECKPOINT_DISABLE = '1';
  const saved = process.env.TERRAFORM_BINARY_NAME;
  process.env.TERRAFORM_BINARY_NAME = 'terraform-not-needed-for-bindings';
  try {
    return load();
  } finally {
    if (saved === undefined) delete process.env.TERRAFORM_BINARY_NAME;
    else process.env.TERRAFORM_BINARY_NAME = saved;
  }
}

export async function generateBindings(
  schema: ProvidersSchemaJson,
  outDir: string,
  opts: GenerateOptions,
): Promise<void> {
  const generator = opts.generator ?? '@cdktf/provider-generator';
  const { gen, commons } = loadWithoutTerraform(() => ({
    gen: require(generator) as GeneratorModule,
    commons: loadCommons(generator),
  }));
  const fqpn = Object.keys(schema.provider_schemas)[0];
  const withVersion: ProvidersSchemaJson = { ...schema, provider_versions: { [fqpn]: opts.providerVersion } };
  const code = new gen.CodeMaker();
  const target = new commons.ConstructsMakerProviderTarget(
    new commons.TerraformProviderConstraint(`${opts.source}@${opts.versionConstraint}`),
    commons.Language.TYPESCRIPT,
  );
  new gen.TerraformProviderGenerator(code, withVersion).generate(target);
  await code.save(outDir);
  markUnchecked(outDir);
}

/**
 * The generator emits no `override` modifiers, and this repository compiles with noImplicitOverride, which reaches
 * the bindings through every import of them. Generated code is not ours to fix: it is exempt from checking (its
 * declarations still type the code that uses it).
 */
const NOCHECK =
  '// @ts-nocheck: generated code without `override` modifiers; the repository compiles with noImplicitOverride\n';

function markUnchecked(dir: string): void {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) markUnchecked(file);
    else if (name.endsWith('.ts')) writeFileSync(file, NOCHECK + readFileSync(file, 'utf8'));
  }
}
