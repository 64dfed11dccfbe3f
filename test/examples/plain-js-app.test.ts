// A new user's app: an empty directory outside the repository, the cdktn flavour's tarball installed by name beside
// cdktn and constructs from the npm registry, SecureHost used from plain JavaScript (no TypeScript, no bundler),
// synthesized by node, then applied by real Terraform through the provider binary on the simulated host; the plan
// after the apply is empty (`plan -detailed-exitcode` exits 0).
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { flavour } from '../../scripts/package/flavours';
import { testWithTerraform } from '../support/terraform';
import { backends, domids, EXAMPLE_POLICY } from './helpers';
import { appDir, npm, providerMirror, tarball } from './user-app';

const run = promisify(execFile);
const cdktn = flavour('cdktn');

const MAIN_JS = `const { App, LocalBackend, TerraformStack } = require('cdktn');
const { SecureHost, GuestType } = require('${cdktn.packageName}');

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

testWithTerraform(
  'plain JavaScript app outside the repo: install the cdktn tarball by name, synth, apply, empty plan after',
  async (tf) => {
    const app = appDir('tfxen-plain-js-');
    try {
      const pkg = { name: 'plain-js-xen', version: '1.0.0', private: true, dependencies: { [cdktn.packageName]: `file:${tarball('cdktn')}`, cdktn: cdktn.cdkRange, constructs: cdktn.constructsRange } };
      writeFileSync(path.join(app, 'package.json'), JSON.stringify(pkg, null, 2));
      writeFileSync(path.join(app, 'main.js'), MAIN_JS);
      await npm(app, ['install']);
      const installed = JSON.parse(readFileSync(path.join(app, 'node_modules', cdktn.packageName, 'package.json'), 'utf8')) as { peerDependencies: object };
      expect(installed.peerDependencies).toEqual({ cdktn: cdktn.cdkRange, constructs: cdktn.constructsRange });

      const sim = path.join(tf.dir, 'sim');
      const env = { ...process.env, XEN_CONNECTION: `sim://${sim}`, POLICY_FILE: EXAMPLE_POLICY, STATE_FILE: path.join(tf.dir, 'terraform.tfstate') };
      await run(process.execPath, ['main.js'], { cwd: app, env });
      const stackDir = path.join(app, 'cdktf.out/stacks/plain');
      const synthesized = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as { provider: { xen: Array<{ connection: string }> } };
      expect(synthesized.provider.xen[0].connection).toBe(`sim://${sim}`);

      const opts = { env: { TF_CLI_CONFIG_FILE: providerMirror(tf.dir) }, timeoutMs: 180_000 };
      const chdir = `-chdir=${stackDir}`;
      const init = await tf.run([chdir, 'init', '-input=false', '-no-color'], opts);
      if (init.code !== 0) throw new Error(`init failed:\n${init.stdout}\n${init.stderr}`);
      const apply = await tf.run([chdir, 'apply', '-auto-approve', '-input=false', '-no-color'], opts);
      if (apply.code !== 0) throw new Error(`apply failed:\n${apply.stdout}\n${apply.stderr}`);
      const ids = domids(sim);
      expect([...ids.keys()].sort()).toEqual(['Domain-0', 'db', 'netdd', 'web']);
      for (const guest of ['web', 'db']) expect(backends(sim, 'network-list', guest)).toEqual([ids.get('netdd')]);
      const posture = JSON.parse((await tf.run([chdir, 'output', '-json', 'posture'], opts)).stdout) as { errors: number; warnings: number };
      expect(posture).toMatchObject({ errors: 0, warnings: 0 });

      const plan = await tf.run([chdir, 'plan', '-detailed-exitcode', '-input=false', '-no-color'], opts);
      if (plan.code !== 0) throw new Error(`the plan after apply is not empty (exit ${plan.code}):\n${plan.stdout}\n${plan.stderr}`);
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  },
  420_000,
);
