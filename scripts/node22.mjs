#!/usr/bin/env node
// cdktn-cli 0.24 needs Node >= 22.19 (on Node 20 it crashes: `markAsUncloneable is not a function`); the cdktn
// library, the provider and everything else here run on Node 20. This finds a node for the CLI: the running one when
// it is new enough, else Node 22 from the npm registry (the `node` package, pinned in scripts/node22/package.json),
// installed under scripts/node22/ on first use. `node scripts/node22.mjs` prints its path (CI runs it up front).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CDKTN_CLI_MIN_NODE = [22, 19];
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node22');
const installed = path.join(dir, 'node_modules/node/bin/node');

function newEnough(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > CDKTN_CLI_MIN_NODE[0] || (major === CDKTN_CLI_MIN_NODE[0] && minor >= CDKTN_CLI_MIN_NODE[1]);
}

function versionOf(node) {
  return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
}

/** Path of a node binary >= 22.19, installing Node 22 from the npm registry when needed. */
export function nodeForCdktnCli() {
  if (newEnough(process.version)) return process.execPath;
  if (!existsSync(installed)) {
    process.stderr.write(
      `node ${process.version} is older than cdktn-cli needs (${CDKTN_CLI_MIN_NODE.join('.')}): installing Node 22 from the npm registry into ${path.relative(process.cwd(), dir) || dir}\n`,
    );
    // The `node` package fetches the platform's binary package in its install script.
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const version = existsSync(installed) ? versionOf(installed) : 'missing';
  if (!newEnough(version))
    throw new Error(
      `${installed} is ${version}, not a node >= ${CDKTN_CLI_MIN_NODE.join('.')} (did npm skip the node package's install script?)`,
    );
  return installed;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${nodeForCdktnCli()}\n`);
}
