// A user's app, as a user has it: a directory outside this repository (so nothing resolves from the checkout's
// node_modules), the construct package installed by name from the tarball `npm run package` built, the CDK and
// constructs from the npm registry, and Terraform installing the built provider from a filesystem mirror. Used by
// the example tests and bench/synth.ts.
import { execFile, execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { flavour, tarballPath } from '../../scripts/package/flavours';
import type { FlavourId } from '../../scripts/package/flavours';
import { DIST_DIR, PROVIDER_SOURCE } from '../support/terraform';

export const ROOT = path.resolve(__dirname, '../..');
export const EXAMPLE = path.join(ROOT, 'examples/secure-host');
export const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
const run = promisify(execFile);

/** A new empty directory under the system temp dir, checked to be outside the checkout. */
export function appDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  if (!path.relative(realpathSync(ROOT), dir).startsWith('..')) throw new Error(`${dir} is inside the repository`);
  return dir;
}

/** The built tarball of a flavour; fails with what to run when `npm run package` has not been. */
export function tarball(id: FlavourId): string {
  const file = tarballPath(ROOT, flavour(id), VERSION);
  if (!existsSync(file))
    throw new Error(`${path.relative(ROOT, file)} is missing: run \`npm run package\` first (npm test does)`);
  return file;
}

/** The example app's own files: what `git clone` plus a copy gives a user (no build output, state or modules). */
export function copyExample(dest: string): void {
  const skip = new Set(['node_modules', 'cdktf.out', 'build', '.demo', '.xen-sim', 'package-lock.json']);
  cpSync(EXAMPLE, dest, { recursive: true, filter: (p) => !skip.has(path.basename(p)) && !/\.tfstate/.test(p) });
}

export async function npm(dir: string, args: string[], timeoutMs = 240_000): Promise<void> {
  try {
    await run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm ${args.join(' ')} failed in ${dir}:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

/**
 * A filesystem mirror holding the built provider, and a CLI config that installs it from there: what `terraform
 * init` (and so `cdktn deploy`) needs offline. Returns the CLI config's path.
 */
export function providerMirror(dir: string): string {
  const plugins = path.join(dir, 'plugins');
  const target = path.join(plugins, PROVIDER_SOURCE, VERSION, 'linux_amd64');
  mkdirSync(target, { recursive: true });
  copyFileSync(path.join(DIST_DIR, 'terraform-provider-xen'), path.join(target, `terraform-provider-xen_v${VERSION}`));
  const file = path.join(dir, 'mirror.tfrc');
  writeFileSync(
    file,
    `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(plugins)}\n  }\n}\n`,
  );
  return file;
}

/** A node >= 22.19 for cdktn-cli (scripts/node22.mjs: this node, or Node 22 from the npm registry). */
export function nodeForCdktnCli(): string {
  return execFileSync(process.execPath, [path.join(ROOT, 'scripts/node22.mjs')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}
