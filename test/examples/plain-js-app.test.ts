// A new user's app: an empty directory outside the repository, a flavour's tarball installed by name beside its CDK
// and constructs from the npm registry, SecureHost used from plain JavaScript (no TypeScript, no bundler),
// synthesized by node. The cdktn app is then applied by real Terraform through the provider binary on the simulated
// host, and the plan after the apply is empty (`plan -detailed-exitcode` exits 0); the cdktf app is planned.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { flavour } from '../../scripts/package/flavours';
import type { Flavour } from '../../scripts/package/flavours';
import { testWithTerraform } from '../support/terraform';
import type { TerraformWorkspace } from '../support/terraform';
import { backends, domids, EXAMPLE_POLICY } from './helpers';
import { appDir, npm, providerMirror, tarball } from './user-app';

const run = promisify(execFile);

const mainJs = (f: Flavour) => `const { App, LocalBackend, TerraformStack } = require('${f.cdk}');
const { SecureHost, GuestType } = require('${f.packageName}');

const app = new App();
const stack = new TerraformStack(app, 'plain');
new LocalBackend(stack, { path: process.env.STATE_FILE });
const host = new SecureHost(stack, 'host', {
  providerConfig: { connection: process.env.XEN_CONNECTION },
  flaskPolicy: { policyFile: process.env.POLICY_FILE },
  network: { name: 'netdd', nics: [{ bdf: '03:00.0' }] },
});
host.addGuest('web', { name: 'web', type: GuestType.PV });
host.addGuest('db', { name: 'db', type: 'pv', memory: 1024 });
app.synth();
`;

/** Installs and synthesizes the app in a new directory outside the repo; fn runs Terraform in its stack. */
async function withPlainApp(
  f: Flavour,
  tf: TerraformWorkspace,
  sim: string,
  fn: (terraform: (args: string[]) => ReturnType<TerraformWorkspace['run']>) => Promise<void>,
): Promise<void> {
  const app = appDir(`tfxen-plain-js-${f.id}-`);
  try {
    const pkg = {
      name: 'plain-js-xen',
      version: '1.0.0',
      private: true,
      dependencies: { [f.packageName]: `file:${tarball(f.id)}`, [f.cdk]: f.cdkRange, constructs: f.constructsRange },
    };
    writeFileSync(path.join(app, 'package.json'), JSON.stringify(pkg, null, 2));
    writeFileSync(path.join(app, 'main.js'), mainJs(f));
    await npm(app, ['install']);
    const installed = JSON.parse(
      readFileSync(path.join(app, 'node_modules', f.packageName, 'package.json'), 'utf8'),
    ) as { peerDependencies: object };
    expect(installed.peerDependencies).toEqual({ [f.cdk]: f.cdkRange, constructs: f.constructsRange });

    const env = {
      ...process.env,
      XEN_CONNECTION: `sim://${sim}`,
      POLICY_FILE: EXAMPLE_POLICY,
      STATE_FILE: path.join(tf.dir, 'terraform.tfstate'),
    };
    await run(process.execPath, ['main.js'], { cwd: app, env });
    const stackDir = path.join(app, 'cdktf.out/stacks/plain');
    const synthesized = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
      provider: { xen: Array<{ connection: string }> };
    };
    expect(synthesized.provider.xen[0].connection).toBe(`sim://${sim}`);

    const opts = { env: { TF_CLI_CONFIG_FILE: providerMirror(tf.dir) }, timeoutMs: 180_000 };
    const terraform = (args: string[]) => tf.run([`-chdir=${stackDir}`, ...args], opts);
    const init = await terraform(['init', '-input=false', '-no-color']);
    if (init.code !== 0) throw new Error(`init failed:\n${init.stdout}\n${init.stderr}`);
    await fn(terraform);
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

testWithTerraform(
  'plain JavaScript app outside the repo on cdktn: install the tarball by name, synth, apply, empty plan after',
  async (tf) => {
    const sim = path.join(tf.dir, 'sim');
    await withPlainApp(flavour('cdktn'), tf, sim, async (terraform) => {
      const apply = await terraform(['apply', '-auto-approve', '-input=false', '-no-color']);
      if (apply.code !== 0) throw new Error(`apply failed:\n${apply.stdout}\n${apply.stderr}`);
      const ids = domids(sim);
      expect([...ids.keys()].sort()).toEqual(['Domain-0', 'db', 'netdd', 'web']);
      for (const guest of ['web', 'db']) expect(backends(sim, 'network-list', guest)).toEqual([ids.get('netdd')]);
      const output = await terraform(['output', '-json', 'posture']);
      expect(JSON.parse(output.stdout)).toMatchObject({ errors: 0, warnings: 0 });
      const plan = await terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
      if (plan.code !== 0)
        throw new Error(`the plan after apply is not empty (exit ${plan.code}):\n${plan.stdout}\n${plan.stderr}`);
    });
  },
  420_000,
);

testWithTerraform(
  'plain JavaScript app outside the repo on cdktf 0.21: install the tarball by name, synth, Terraform plans the host',
  async (tf) => {
    await withPlainApp(flavour('cdktf'), tf, path.join(tf.dir, 'sim'), async (terraform) => {
      // Exit 2: a valid plan with changes: the policy, the NIC, the driver domain, two guests and their vifs.
      const plan = await terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
      if (plan.code !== 2) throw new Error(`plan exited ${plan.code}:\n${plan.stdout}\n${plan.stderr}`);
      expect(plan.stdout).toMatch(/Plan: 7 to add, 0 to change, 0 to destroy/);
    });
  },
  420_000,
);
