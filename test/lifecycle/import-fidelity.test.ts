// What a plan shows for attributes that cannot change, with real Terraform on the simulated host: an in-place update
// of a PV guest lists only what changes (no "(known after apply)" for its stub domain id, which it never has).

import { testWithTerraform } from '../support/terraform';
import { providerHcl, simHost } from '../support/sim';

testWithTerraform('in-place memory change of a PV guest: the plan lists memory only, no known-after-apply noise', async (tf) => {
  const host = simHost();
  const hcl = (memory: number) => `
terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}
provider "xen" {
${providerHcl(host)}
  security_policy = "off"
}
resource "xen_domain" "web" {
  name     = "web"
  memory   = ${memory}
  maxmem   = 1024
  firmware = "pvgrub64"
}
`;
  tf.writeFile('main.tf', hcl(256));
  const create = await tf.run(['plan', '-no-color'], { timeoutMs: 120_000 });
  // A PV guest never has a stub domain: null, which Terraform leaves out of the plan, not "(known after apply)".
  expect(create.stdout).not.toMatch(/stubdomain_domid/);
  const apply = await tf.run(['apply', '-auto-approve', '-no-color'], { timeoutMs: 120_000 });
  if (apply.code !== 0) throw new Error(apply.stdout + apply.stderr);
  tf.writeFile('main.tf', hcl(512));
  const plan = await tf.run(['plan', '-no-color'], { timeoutMs: 120_000 });
  expect(plan.code).toBe(0);
  expect(plan.stdout).toMatch(/~ memory\s+= 256 -> 512/);
  expect(plan.stdout).not.toMatch(/known after apply/);
  expect(plan.stdout).toMatch(/0 to add, 1 to change, 0 to destroy/);
}, 240_000);
