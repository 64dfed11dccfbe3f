#!/usr/bin/env node
// `npm run demo`: the main job on a fresh machine. Build the provider and the construct packages, copy
// examples/secure-host out of the repository as a user's app would be, install the cdktn construct package into it
// by name from its tarball (cdktn, constructs and cdktn-cli from the npm registry), install the provider for
// Terraform through a generated CLI config (a filesystem mirror; the user's ~/.terraformrc is never read or
// written), `cdktn deploy` the app against the embedded simulated host, and show what now exists.
// cdktn-cli needs Node >= 22.19: an older node gets Node 22 from the npm registry (scripts/node22.mjs).
// TERRAFORM_BINARY_NAME=tofu runs OpenTofu instead (cdktn honours the same variable). XEN_DEMO_DIR moves the app.
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  copyFileSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeForCdktnCli } from './node22.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = path.join(root, 'examples/secure-host');
const app = path.resolve(process.env.XEN_DEMO_DIR || path.join(tmpdir(), 'xen-secure-host-demo'));
const work = path.join(app, '.demo');
const xlSim = path.join(root, 'dist/xl-sim');
const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const tarball = path.join(root, 'dist/packages', `xen-project-cdktn-xen-${version}.tgz`);
// Terraform resolves "xen-project/xen" on registry.terraform.io, OpenTofu on registry.opentofu.org: mirror both.
const HOSTS = ['registry.terraform.io', 'registry.opentofu.org'];

function say(line) {
  process.stdout.write(`\n==> ${line}\n`);
}

function fail(message) {
  process.stderr.write(`\nnpm run demo: ${message}\n`);
  process.exit(1);
}

function findOnPath(name) {
  if (path.isAbsolute(name)) return isExecutable(name) ? name : undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.error) fail(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) fail(`${path.basename(cmd)} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function capture(cmd, args, env) {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.trimEnd();
}

const binaryName = process.env.TERRAFORM_BINARY_NAME || 'terraform';
const terraform = findOnPath(binaryName);
if (!terraform) {
  fail(
    `"${binaryName}" is not on PATH.\n` +
      'Install Terraform >= 1.5 (https://developer.hashicorp.com/terraform/install), or OpenTofu >= 1.6\n' +
      '(https://opentofu.org/docs/intro/install/) and run with TERRAFORM_BINARY_NAME=tofu, then run `npm run demo` again.',
  );
}

say(
  'building the provider (dist/terraform-provider-xen), the simulated host (dist/xl-sim) and the construct packages (dist/packages/)',
);
run(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root });
run(process.execPath, [path.join(root, 'scripts/run-ts.mjs'), 'scripts/package/main.ts'], { cwd: root });

if (!path.relative(root, app).startsWith('..'))
  fail(`XEN_DEMO_DIR (${app}) must be outside the repository: the app is run as a user has it`);
say(
  `copying examples/secure-host to ${app} and installing @xen-project/cdktn-xen from its tarball (npm, first run ~1 min)`,
);
// A rerun keeps the installed modules but takes the example's files and the package afresh.
mkdirSync(app, { recursive: true });
for (const name of readdirSync(app))
  if (name !== 'node_modules') rmSync(path.join(app, name), { recursive: true, force: true });
rmSync(path.join(app, 'node_modules/@xen-project'), { recursive: true, force: true });
const skip = new Set(['node_modules', 'cdktf.out', 'build', '.demo', '.xen-sim', 'package-lock.json']);
cpSync(example, app, { recursive: true, filter: (p) => !skip.has(path.basename(p)) && !/\.tfstate/.test(p) });
// What a user does with a tarball until the package is published: `npm install <tarball>` (it rewrites the file:
// reference in package.json) and the rest from the registry.
run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: app });
const cliNode = nodeForCdktnCli();

say(`installing the provider for ${path.basename(terraform)} through a generated CLI config (${work}/)`);
const mirror = path.join(work, 'plugins');
for (const host of HOSTS) {
  const dir = path.join(mirror, host, 'xen-project/xen', version, 'linux_amd64');
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(root, 'dist/terraform-provider-xen'), path.join(dir, `terraform-provider-xen_v${version}`));
  // The V8 code cache goes beside it under the executable's name (provider/launcher.cjs); Terraform copies the
  // whole package directory.
  copyFileSync(
    path.join(root, 'dist/terraform-provider-xen.v8cache'),
    path.join(dir, `terraform-provider-xen_v${version}.v8cache`),
  );
}
const cliConfig = path.join(work, 'terraform.rc');
writeFileSync(
  cliConfig,
  `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ${JSON.stringify(HOSTS.map((h) => `${h}/xen-project/xen`))}\n  }\n}\n`,
);

const simState = path.join(work, 'sim');
const env = {
  ...process.env,
  // cdktn-cli (`#!/usr/bin/env node`) and the app command in cdktf.json run on a node cdktn-cli accepts.
  PATH: [path.dirname(cliNode), path.join(app, 'node_modules/.bin'), process.env.PATH].join(path.delimiter),
  TF_CLI_CONFIG_FILE: cliConfig,
  CHECKPOINT_DISABLE: '1',
  TF_IN_AUTOMATION: '1',
  XEN_CONNECTION: `sim://${simState}`,
  XEN_STATE_FILE: path.join(work, 'terraform.tfstate'),
  XEN_SIM_STATE: simState,
  // cdktn prints plain logs instead of an interactive UI.
  CI: process.env.CI ?? '1',
};

say(`cdktn deploy (node ${capture(cliNode, ['--version'], env)}; simulated host state in ${simState})`);
const outputsFile = path.join(work, 'outputs.json');
run(
  path.join(app, 'node_modules/.bin/cdktn'),
  ['deploy', '--auto-approve', '--skip-provider-lock', '--outputs-file', outputsFile],
  { cwd: app, env },
);

say('domains (xl list)');
console.log(capture(xlSim, ['list'], env));
for (const dd of ['netdd', 'stordd']) {
  say(`${dd}: PCI functions taken from dom0 and passed through (xl pci-list)`);
  console.log(capture(xlSim, ['pci-list', dd], env));
}
const nameOf = new Map(
  capture(xlSim, ['list'], env)
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .map(([name, id]) => [id, name]),
);
for (const guest of ['web', 'win']) {
  say(`${guest}: vifs and disks, with the domain serving each backend (BE)`);
  for (const cmd of ['network-list', 'block-list']) {
    const [header, ...rows] = capture(xlSim, [cmd, guest], env).split('\n');
    console.log(header);
    for (const row of rows)
      console.log(
        `${row.trimEnd()}   <- BE ${row.trim().split(/\s+/)[1]} is ${nameOf.get(row.trim().split(/\s+/)[1]) ?? '?'}`,
      );
  }
}
say('security posture (output "posture")');
const outputs = JSON.parse(readFileSync(outputsFile, 'utf8'));
const posture = outputs['secure-host']?.host?.['posture-output'];
console.log(JSON.stringify(posture, null, 2));
say(
  `done. The app is ${app}; inspect the host with: XEN_SIM_STATE=${simState} ${path.relative(process.cwd(), xlSim) || xlSim} list -l`,
);
