// One flavour's jsii project, made from the one source: the construct modules under constructs/ with their CDK
// import specifier rewritten to the flavour's library, beside the bindings that flavour's generator made.
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SOURCE_CDK } from './flavours';
import type { Flavour } from './flavours';

/** `from 'cdktn'` / `from "cdktn/lib/..."`: the specifier alone, so comments and identifiers stay as written. */
function specifierPattern(cdk: string): RegExp {
  return new RegExp(`(from\\s+|import\\s*\\(\\s*|require\\s*\\(\\s*)(['"])${cdk}((?:/[^'"]*)?)\\2`, 'g');
}

export function rewriteCdkImports(source: string, to: string, from = SOURCE_CDK): string {
  return source.replace(
    specifierPattern(from),
    (_m, lead: string, q: string, sub: string) => `${lead}${q}${to}${sub}${q}`,
  );
}

export function importsOf(source: string, cdk: string): number {
  return [...source.matchAll(specifierPattern(cdk))].length;
}

/** Writes `src/` of the flavour's project under dir; returns the construct modules it rewrote. */
export function writeSourceTree(root: string, f: Flavour, dir: string): string[] {
  const src = path.join(dir, 'src');
  mkdirSync(src, { recursive: true });
  const modules = readdirSync(path.join(root, 'constructs'))
    .filter((n) => n.endsWith('.ts'))
    .sort();
  for (const name of modules) {
    const text = readFileSync(path.join(root, 'constructs', name), 'utf8');
    const out = rewriteCdkImports(text, f.cdk);
    if (f.cdk !== SOURCE_CDK && importsOf(out, SOURCE_CDK) > 0)
      throw new Error(`constructs/${name}: an import of ${SOURCE_CDK} was left in the ${f.id} flavour`);
    writeFileSync(path.join(src, name), out);
  }
  // lazy-index.ts is the generator's alternative index for prebuilt provider packages; nothing here imports it.
  cpSync(path.join(root, f.bindingsDir), path.join(src, 'providers'), {
    recursive: true,
    filter: (p) => path.basename(p) !== 'lazy-index.ts',
  });
  return modules;
}
