// Bundles the provider and the simulated host into single executable files under dist/, beside the restricted dom0
// command (a POSIX sh script, copied as is).
// One file each so the provider can be copied into a Terraform plugin directory on its own; the provider's V8 code
// cache (dist/terraform-provider-xen.v8cache, see provider/launcher.cjs) only makes it start faster when beside it.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  loader: { '.proto': 'text' },
  logLevel: 'warning',
};
const SHEBANG = '#!/usr/bin/env node\n';
mkdirSync('dist', { recursive: true });

async function provider() {
  const out = 'dist/terraform-provider-xen';
  const r = await build({ ...common, entryPoints: ['provider/main.ts'], write: false });
  const bundle = r.outputFiles[0].text;
  // The bundle becomes the body of a CommonJS wrapper compiled by the launcher; JSON.stringify makes it one string
  // literal, and the function passed to replace() keeps `$` sequences in it literal.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${bundle}\n})`;
  const launcher = readFileSync('provider/launcher.cjs', 'utf8');
  for (const slot of ["'/*BUNDLE*/'", "'/*SOURCE_ID*/'"]) {
    if (!launcher.includes(slot)) throw new Error(`build: provider/launcher.cjs lost its ${slot} slot`);
  }
  const id = createHash('sha256').update(wrapped).digest('hex');
  writeFileSync(
    out,
    SHEBANG +
      launcher
        .replace("'/*SOURCE_ID*/'", () => JSON.stringify(id))
        .replace("'/*BUNDLE*/'", () => JSON.stringify(wrapped)),
  );
  chmodSync(out, 0o755);
  rmSync(`${out}.v8cache`, { force: true });
  execFileSync(process.execPath, [out, '__write-code-cache'], { stdio: 'inherit' });
}

async function simulator() {
  const out = 'dist/xl-sim';
  await build({
    ...common,
    entryPoints: ['provider/xen/sim/main.ts'],
    outfile: out,
    banner: { js: SHEBANG.trimEnd() },
  });
  chmodSync(out, 0o755);
}

/** The restricted command for dom0's authorized_keys ships beside the provider (see docs/guides/remote-dom0.md). */
function dom0Command() {
  const out = 'dist/terraform-provider-xen-dom0';
  copyFileSync('provider/dom0/terraform-provider-xen-dom0', out);
  chmodSync(out, 0o755);
}

dom0Command();
await Promise.all([provider(), simulator()]);
