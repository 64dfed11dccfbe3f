// `npm run package`: the construct library as npm packages, one per flavour (scripts/package/flavours.ts), each
// compiled by jsii from the one source (JS, .d.ts and the .jsii assembly other languages are generated from) and
// packed to dist/packages/. `--python` also makes each flavour's Python wheel offline (scripts/package/python.ts)
// into dist/packages/python/.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { FLAVOURS, flavourDir, tarballPath } from './flavours';
import type { Flavour } from './flavours';
import { manifest } from './manifest';
import { buildWheel, offlineWheelPython, pythonSource } from './python';
import { writeSourceTree } from './source-tree';

const root = process.cwd();
const execFileAsync = promisify(execFile);

async function run(cmd: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync(cmd, args, {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${path.basename(cmd)} ${args.join(' ')} failed in ${path.relative(root, cwd)}:\n${e.stdout ?? ''}${e.stderr ?? e.message}`,
    );
  }
}

async function build(f: Flavour, version: string): Promise<string> {
  const dir = flavourDir(root, f);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeSourceTree(root, f, dir);
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest(f, version), null, 2)}\n`);
  copyFileSync(path.join(root, 'constructs/README.md'), path.join(dir, 'README.md'));
  copyFileSync(path.join(root, 'constructs/LICENSE'), path.join(dir, 'LICENSE'));
  // Reserved-word warnings come from the generated bindings (`class`, `type` attributes); they do not fail jsii.
  const out = await run(path.join(root, 'node_modules/.bin/jsii'), ['--silence-warnings=reserved-word'], dir);
  if (/Warnings: [1-9]/.test(out)) process.stderr.write(out);
  const tarball = tarballPath(root, f, version);
  mkdirSync(path.dirname(tarball), { recursive: true });
  rmSync(tarball, { force: true });
  await run('npm', ['pack', '--silent', '--pack-destination', path.dirname(tarball)], dir);
  return tarball;
}

function python(f: Flavour, py: string): string {
  const dir = flavourDir(root, f);
  const wheel = buildWheel(py, pythonSource(root, dir, path.join(dir, 'dist')), path.join(dir, 'dist/wheel'));
  const out = path.join(root, 'dist/packages/python', path.basename(wheel));
  mkdirSync(path.dirname(out), { recursive: true });
  copyFileSync(wheel, out);
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { python: { type: 'boolean', default: false } } });
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const py = values.python ? offlineWheelPython() : undefined;
  if (values.python && !py)
    throw new Error(
      '--python: no python3 with setuptools and wheel (Debian: apt-get install python3-setuptools python3-wheel)',
    );
  const started = Date.now();
  // One jsii process per flavour, side by side.
  const tarballs = await Promise.all(FLAVOURS.map((f) => build(f, version)));
  FLAVOURS.forEach((f, i) => {
    console.error(
      `package: ${path.relative(root, tarballs[i])} (${f.packageName}, ${(statSync(tarballs[i]).size / 1024).toFixed(0)} KiB)`,
    );
    if (py) console.error(`package: ${path.relative(root, python(f, py))}`);
  });
  console.error(`package: ${FLAVOURS.length} flavours in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
