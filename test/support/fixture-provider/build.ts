// Bundles the fixture provider the same way scripts/build.mjs bundles the real one, into a temp dir.
import { buildSync } from 'esbuild';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export function buildFixtureProvider(): string {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'tfxen-fixture-')), 'terraform-provider-fixture');
  buildSync({
    entryPoints: [path.join(__dirname, 'main.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    loader: { '.proto': 'text' },
    logLevel: 'error',
  });
  chmodSync(out, 0o755);
  return out;
}
