// `npm run package`: the construct library as npm packages, one per flavour (scripts/package/flavours.ts), each
// compiled by jsii from the one source (JS, .d.ts and the .jsii assembly other languages are generated from) and
// packed to dist/packages/. `--python` also runs jsii-pacmak's Python target on each assembly (dist/flavours/*/dist).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { FLAVOURS, flavourDir, tarballPath } from './flavours';
import type { Flavour } from './flavours';
import { manifest } from './manifest';
import { writeSourceTree } from './source-tree';

const root = process.cwd();
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed in ${path.relative(root, cwd)}:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

function build(f: Flavour, version: string, python: boolean): string {
  const dir = flavourDir(root, f);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeSourceTree(root, f, dir);
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest(f, version), null, 2)}\n`);
  copyFileSync(path.join(root, 'constructs/README.md'), path.join(dir, 'README.md'));
  copyFileSync(path.join(root, 'constructs/LICENSE'), path.join(dir, 'LICENSE'));
  // jsii prints its diagnostics on stdout; warnings (reserved words in the generated bindings) do not fail it.
  const out = run(bin('jsii'), ['--silence-warnings=reserved-word'], dir);
  if (/Warnings: [1-9]/.test(out)) process.stderr.write(out);
  const tarball = tarballPath(root, f, version);
  mkdirSync(path.dirname(tarball), { recursive: true });
  rmSync(tarball, { force: true });
  run('npm', ['pack', '--silent', '--pack-destination', path.dirname(tarball)], dir);
  if (python) run(bin('jsii-pacmak'), ['--targets', 'python', '--code-only', '--outdir', 'dist'], dir);
  return tarball;
}

function main(): void {
  const { values } = parseArgs({ options: { python: { type: 'boolean', default: false } } });
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  for (const f of FLAVOURS) {
    const started = Date.now();
    const tarball = build(f, version, values.python ?? false);
    console.error(`package: ${path.relative(root, tarball)} (${f.packageName}, ${(statSync(tarball).size / 1024).toFixed(0)} KiB, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

main();
