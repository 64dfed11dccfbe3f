// examples/hcl/secure-host: the same host in plain HCL, applied by real Terraform through the provider binary.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { testWithTerraform } from '../support/terraform';
import { EXAMPLE_POLICY, expectSecureHost, resourceChanges } from './helpers';

const MAIN_TF = path.resolve(__dirname, '../../examples/hcl/secure-host/main.tf');

testWithTerraform(
  'the HCL example applies: driver domains serve every guest, the posture has no errors, plan is clean after',
  async (tf) => {
    tf.writeFile('main.tf', readFileSync(MAIN_TF, 'utf8'));
    const sim = path.join(tf.dir, 'sim');
    const opts = { env: { XEN_CONNECTION: `sim://${sim}`, TF_VAR_policy_file: EXAMPLE_POLICY }, timeoutMs: 180_000 };
    const apply = await tf.run(['apply', '-auto-approve', '-input=false', '-no-color'], opts);
    if (apply.code !== 0) throw new Error(`apply failed:\n${apply.stdout}\n${apply.stderr}`);
    expectSecureHost(sim);
    const posture = JSON.parse((await tf.run(['output', '-json', 'posture'], opts)).stdout) as {
      errors: number;
      guests: { win: { stubdomain_domid: number | null } };
    };
    expect(posture.errors).toBe(0);
    expect(posture.guests.win.stubdomain_domid).not.toBeNull();
    const plan = await tf.run(['plan', '-input=false', '-no-color'], opts);
    expect(plan.code).toBe(0);
    expect(resourceChanges(plan.stdout)).toEqual([]);
  },
  300_000,
);
