// npm run test:xen: bundles the real-Xen harness (test/xen/main.ts) and runs it. See test/xen/README.md.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['test/xen/main.ts'],
  outfile: 'dist/test-xen.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['dist/test-xen.cjs'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
