// npm run test:xen [-- flask]: bundles a real-Xen harness and runs it. See test/xen/README.md.
//   (no mode)  test/xen/main.ts, the main stage on Debian's Xen 4.17.7
//   flask      test/xen/main-flask.ts, the stage on the lab's Xen built with XSM/FLASK (npm run test:xen-flask)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

const mode = process.argv[2] ?? 'main';
const entries = { main: 'test/xen/main.ts', flask: 'test/xen/main-flask.ts' };
if (!(mode in entries)) {
  console.error(`test-xen: unknown mode ${JSON.stringify(mode)}; one of ${Object.keys(entries).join(', ')}`);
  process.exit(2);
}
const outfile = mode === 'main' ? 'dist/test-xen.cjs' : `dist/test-xen-${mode}.cjs`;
await build({
  entryPoints: [entries[mode]],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
process.exit(r.status ?? 1);
