// Runs one of the TypeScript scripts under scripts/ with plain node: esbuild bundles it (node_modules stay external,
// .proto files load as text like the provider build) into a temp file under dist/, which then runs with the remaining argv.
// Keeps the scripts typed and shared with the jest tests without a ts-node dependency. Bundled code has the temp
// dir as __dirname, so the scripts locate the checkout from process.cwd() or their arguments, never __dirname.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs SCRIPT.ts [ARGS...]');
  process.exit(2);
}
// Inside the checkout so the bundle resolves node_modules like the sources do.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(path.join(root, 'dist'), { recursive: true });
const dir = mkdtempSync(path.join(root, 'dist', '.script-'));
const outfile = path.join(dir, `${path.basename(entry, '.ts')}.cjs`);
try {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    loader: { '.proto': 'text' },
    logLevel: 'warning',
  });
  const r = spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
