// Bundles the provider and the simulated host into single executable files under dist/.
// One file each so the provider can be copied into a Terraform plugin directory on its own.
import { build } from 'esbuild';
import { chmodSync, mkdirSync } from 'node:fs';

const entries = [
  { in: 'provider/main.ts', out: 'dist/terraform-provider-xen' },
  { in: 'provider/xen/sim/main.ts', out: 'dist/xl-sim' },
];
mkdirSync('dist', { recursive: true });
await Promise.all(entries.map(async (e) => {
  await build({
    entryPoints: [e.in],
    outfile: e.out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    banner: { js: '#!/usr/bin/env node' },
    loader: { '.proto': 'text' },
    logLevel: 'warning',
  });
  chmodSync(e.out, 0o755);
}));
