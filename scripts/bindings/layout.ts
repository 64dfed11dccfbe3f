// Where the committed bindings live and what they pin: shared by `npm run generate` and the is-it-current test.
import { cpSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { GenerateOptions } from './generate';

const pkg = JSON.parse(readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')) as { version: string };
const [major, minor] = pkg.version.split('.');

export const BINDINGS_OPTIONS: GenerateOptions = {
  source: 'xen-project/xen',
  providerVersion: pkg.version,
  versionConstraint: `~> ${major}.${minor}`,
};

export function replaceTree(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}

/** Relative path -> content of every file under dir, for comparing a fresh generation with the committed one. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = path.join(rel, name);
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else out.set(r, readFileSync(path.join(dir, r), 'utf8'));
    }
  };
  walk('');
  return out;
}
