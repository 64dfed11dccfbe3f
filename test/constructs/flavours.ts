// The construct tests run against what `npm run package` built for each flavour (dist/flavours/*/lib, the JS that
// goes into the tarball), with that flavour's own CDK library: the cdktn build on cdktn, the cdktf build on cdktf.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { FLAVOURS, flavourDir } from '../../scripts/package/flavours';
import type { Flavour } from '../../scripts/package/flavours';

export const ROOT = path.resolve(__dirname, '../..');

/** The compiled library has the source's API; its CDK library has cdktn's (cdktf's is the same by design). */
export type ConstructLibrary = typeof import('../../constructs');
export type CdkLibrary = typeof import('cdktn');

export interface BuiltFlavour {
  flavour: Flavour;
  dir: string;
  lib: ConstructLibrary;
  cdk: CdkLibrary;
}

export function loadFlavour(f: Flavour): BuiltFlavour {
  const dir = flavourDir(ROOT, f);
  const entry = path.join(dir, 'lib/index.js');
  if (!existsSync(entry))
    throw new Error(`${path.relative(ROOT, entry)} is missing: run \`npm run package\` first (npm test does)`);
  // Resolved from the package's own directory, as the compiled library resolves it.
  const cdk = require(require.resolve(f.cdk, { paths: [dir] })) as CdkLibrary;
  return { flavour: f, dir, lib: require(entry) as ConstructLibrary, cdk };
}

/** `describe.each` rows: one per flavour. */
export const EACH_FLAVOUR = FLAVOURS.map((f) => [f.id, f] as const);
