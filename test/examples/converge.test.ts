// The CI gate users put after an apply: `terraform plan -detailed-exitcode` must exit 0 (no changes, outputs
// included). Every example in examples/hcl is applied once by real Terraform on a fresh simulated host, then planned
// with -detailed-exitcode: an output that describes live state differently after a refresh (a vif "(new)" that is
// "0" once read back) exits 2 here.

import { cpSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { testWithTerraform } from '../support/terraform';
import { EXAMPLE_POLICY } from './helpers';

const HCL = path.resolve(__dirname, '../../examples/hcl');

/** What each example asks of its user (variables without defaults, the host to use). */
const ENV: Record<string, (simDir: string) => NodeJS.ProcessEnv> = {
  'secure-host': (sim) => ({ XEN_CONNECTION: `sim://${sim}`, TF_VAR_policy_file: EXAMPLE_POLICY }),
  'vtpm-guest': () => ({ TF_VAR_desk_vnc_password: 'Vnc-8chr' }),
};

describe('examples/hcl converge in one apply', () => {
  const examples = readdirSync(HCL, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);

  test('every example has its environment here (a new one must be added to ENV)', () => {
    expect(examples.sort()).toEqual(Object.keys(ENV).sort());
  });

  for (const example of examples) {
    testWithTerraform(
      `examples/hcl/${example}: apply, then plan -detailed-exitcode exits 0`,
      async (tf) => {
        cpSync(path.join(HCL, example), tf.dir, { recursive: true });
        const env = (ENV[example] ?? (() => ({})))(path.join(tf.dir, 'sim'));
        const opts = { env, timeoutMs: 300_000 };
        const apply = await tf.run(['apply', '-auto-approve', '-input=false', '-no-color'], opts);
        if (apply.code !== 0) throw new Error(`apply failed:\n${apply.stdout}\n${apply.stderr}`);
        const plan = await tf.run(['plan', '-detailed-exitcode', '-input=false', '-no-color'], opts);
        // Exit 2 is "changes present": show them (outputs changing are listed under "Changes to Outputs").
        if (plan.code !== 0) throw new Error(`plan after apply exited ${plan.code}:\n${plan.stdout}\n${plan.stderr}`);
        expect(plan.stdout).toMatch(/No changes/);
      },
      420_000,
    );
  }
});
