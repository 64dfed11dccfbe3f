// examples/secure-host as a user runs it: copied out of the repository, its dependency on the construct package
// pointed at the built tarball with `npm install <tarball>` (what a user does until it is published), everything
// else from the npm registry, then `cdktn deploy` (cdktn-cli on Node >= 22.19) against the simulated host with the
// provider installed from a filesystem mirror. Afterwards the driver domains serve every guest and a plan is empty.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { flavour } from '../../scripts/package/flavours';
import { testWithTerraform } from '../support/terraform';
import { expectSecureHost } from './helpers';
import { appDir, copyExample, EXAMPLE, nodeForCdktnCli, npm, providerMirror, tarball } from './user-app';

const run = promisify(execFile);
const cdktn = flavour('cdktn');

testWithTerraform(
  'examples/secure-host from a copy outside the repo: npm install the tarball, cdktn deploy, driver domains serve every guest, empty plan after',
  async (tf) => {
    const app = appDir('tfxen-secure-host-');
    try {
      copyExample(app);
      const manifest = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
      };
      // The example names the package, as built by `npm run package` (in place, the reference resolves to it).
      expect(manifest.dependencies[cdktn.packageName]).toBe(`file:${path.relative(EXAMPLE, tarball('cdktn'))}`);
      expect(manifest.devDependencies[cdktn.cli.name]).toBe(cdktn.cli.version);
      await npm(app, ['install', tarball('cdktn')]);
      // The package's .d.ts types the app: tsc checks it against what was installed.
      await npm(app, ['run', 'typecheck']);

      const node = nodeForCdktnCli();
      const sim = path.join(tf.dir, 'sim');
      const outputs = path.join(tf.dir, 'outputs.json');
      const env = {
        ...process.env,
        // cdktn-cli's `#!/usr/bin/env node` and the app command (cdktf.json: esbuild, then node) run on this node.
        PATH: [path.dirname(node), path.join(app, 'node_modules/.bin'), process.env.PATH].join(path.delimiter),
        TF_CLI_CONFIG_FILE: providerMirror(tf.dir),
        CHECKPOINT_DISABLE: '1',
        CI: '1',
        XEN_CONNECTION: `sim://${sim}`,
      };
      try {
        await run(
          path.join(app, 'node_modules/.bin', cdktn.cli.bin),
          ['deploy', '--auto-approve', '--skip-provider-lock', '--outputs-file', outputs],
          { cwd: app, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
        );
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string; message: string };
        throw new Error(`cdktn deploy failed:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`);
      }
      expectSecureHost(sim);
      const posture = (
        JSON.parse(readFileSync(outputs, 'utf8')) as Record<
          string,
          {
            host: {
              'posture-output': {
                errors: number;
                flask: { mode: string };
                tcb: Record<string, Array<{ domain: string }>>;
              };
            };
          }
        >
      )['secure-host'].host['posture-output'];
      expect(posture.errors).toBe(0);
      expect(posture.flask.mode).toBe('enforcing');
      expect(posture.tcb.web.map((t) => t.domain)).toEqual(expect.arrayContaining(['netdd', 'stordd']));

      // cdktn deploy left the stack initialised; its state is the app's terraform.secure-host.tfstate.
      const stackDir = path.join(app, 'cdktf.out/stacks/secure-host');
      const plan = await tf.run([`-chdir=${stackDir}`, 'plan', '-detailed-exitcode', '-input=false', '-no-color'], {
        env: { TF_CLI_CONFIG_FILE: env.TF_CLI_CONFIG_FILE },
        timeoutMs: 180_000,
      });
      if (plan.code !== 0)
        throw new Error(
          `the plan after cdktn deploy is not empty (exit ${plan.code}):\n${plan.stdout}\n${plan.stderr}`,
        );
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  },
  600_000,
);
