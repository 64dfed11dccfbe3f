// xen_flask_policy with the real Terraform CLI against the built provider and the simulated host, which loads the same
// compiled policy format as Xen: Xen 4.17's example policy loaded and its types shown; a file that is not a compiled
// policy refused at plan; a device type used as a domain label refused at plan, against the policy planned in the same
// configuration and, later, against the policy the provider loaded, with nothing created either time.

import { copyFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { testWithTerraform } from '../support/terraform';
import type { TerraformWorkspace } from '../support/terraform';
import { providerRoot, simHost } from '../support/sim';
import type { SimHost } from '../support/sim';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'flask', 'xenpolicy-4.17');

function config(host: SimHost, policyFile: string | undefined, body: string): string {
  const policy =
    policyFile === undefined
      ? ''
      : `
resource "xen_flask_policy" "p" {
  policy_file = "${policyFile}"
}
output "domain_types" {
  value = xen_flask_policy.p.domain_types
}
output "noiommu" {
  value = xen_flask_policy.p.noiommu
}
`;
  return `${providerRoot(host)}${policy}
${body}`;
}

const domain = (name: string, label: string, dependsOnPolicy: boolean) => `
resource "xen_domain" "${name}" {
  name     = "${name}"
  memory   = 256
  firmware = "pvgrub64"
  seclabel = "${label}"
${dependsOnPolicy ? '  depends_on = [xen_flask_policy.p]\n' : ''}}
`;

async function run(tf: TerraformWorkspace, ...args: string[]) {
  const r = await tf.run([...args, '-no-color'], { timeoutMs: 180_000 });
  // Terraform wraps long diagnostics: one line, single spaces, for the matches below.
  return { ...r, out: (r.stdout + r.stderr).replace(/│/g, ' ').replace(/\s+/g, ' ') };
}

const domainNames = (host: SimHost) =>
  host
    .xl('list')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s+/)[0]);
const simFlask = (host: SimHost) => (JSON.parse(host.xl('sim-state')) as { flask: { policySha256?: string } }).flask;

describe('real terraform, xen_flask_policy with a compiled policy on the simulated host', () => {
  testWithTerraform(
    'the example policy is loaded and its types shown; a labelled domain planned against it is created',
    async (tf) => {
      const host = simHost();
      const file = path.join(host.dir, 'xenpolicy-4.17');
      copyFileSync(FIXTURE, file);
      tf.writeFile('main.tf', config(host, file, domain('web', 'system_u:system_r:isolated_domU_t', true)));
      const apply = await run(tf, 'apply', '-auto-approve');
      expect({ code: apply.code, out: apply.out }).toMatchObject({ code: 0 });
      const out = JSON.parse((await run(tf, 'output', '-json')).stdout) as Record<string, { value: string[] }>;
      expect(out.domain_types.value).toEqual(
        expect.arrayContaining(['dom0_t', 'domU_t', 'isolated_domU_t', 'dm_dom_t']),
      );
      expect(out.domain_types.value).not.toContain('nic_dev_t');
      expect(out.noiommu.value).toContain('domU_t:nic_dev_t');
      expect(simFlask(host).policySha256).toMatch(/^[0-9a-f]{64}$/);
      expect(host.xl('list', '-Z')).toMatch(/^web .* system_u:system_r:isolated_domU_t$/m);
      expect((await run(tf, 'plan', '-detailed-exitcode')).code).toBe(0);

      // Another configuration without xen_flask_policy: the labels are checked against the policy loaded above.
      tf.writeFile(
        'main.tf',
        config(
          host,
          undefined,
          domain('web', 'system_u:system_r:isolated_domU_t', false) +
            domain('netdd', 'system_u:system_r:nic_dev_t', false),
        ),
      );
      const later = await run(tf, 'plan', '-detailed-exitcode');
      expect(later.code).toBe(1);
      expect(later.out).toMatch(/nic_dev_t is a device \(resource\) type/);
      expect(later.out).toMatch(/the policy this provider last loaded on the host/);
      expect(later.out).toMatch(/seclabel = "system_u:system_r:nic_dev_t"/);
    },
    300_000,
  );

  testWithTerraform(
    "the policy's use_noiommu grant is shown; on a host with an IOMMU (where Xen never asks for it) the posture data source reports no finding of it",
    async (tf) => {
      const host = simHost();
      const file = path.join(host.dir, 'xenpolicy-4.17');
      copyFileSync(FIXTURE, file);
      tf.writeFile(
        'main.tf',
        config(
          host,
          file,
          `
resource "xen_pci_assignable" "nic" {
  bdf = "03:00.0"
}
resource "xen_driver_domain" "net" {
  name       = "netdd"
  class      = "network"
  memory     = 256
  kernel     = "/var/lib/xen/images/vmlinuz"
  ramdisk    = "/var/lib/xen/images/initrd.img"
  seclabel   = "system_u:system_r:domU_t"
  pci {
    bdf = xen_pci_assignable.nic.bdf
  }
  depends_on = [xen_flask_policy.p]
}
data "xen_security_posture" "this" {
  depends_on = [xen_driver_domain.net]
}
output "noiommu_findings" {
  value = [for f in data.xen_security_posture.this.findings : "\${f.subject}: \${f.message}" if f.rule == "flask-noiommu-device"]
}
`,
        ),
      );
      const apply = await run(tf, 'apply', '-auto-approve');
      expect({ code: apply.code, out: apply.out }).toMatchObject({ code: 0 });
      const out = JSON.parse((await run(tf, 'output', '-json')).stdout) as Record<string, { value: string[] }>;
      expect(out.noiommu.value).toContain('domU_t:nic_dev_t');
      expect(out.noiommu_findings.value).toEqual([]);
      expect(host.xl('list', '-Z')).toMatch(/^netdd .* system_u:system_r:domU_t$/m);
    },
    300_000,
  );

  testWithTerraform(
    'a file that is not a compiled policy is refused at plan, on policy_file, saying what it is; nothing is created',
    async (tf) => {
      const host = simHost();
      const file = path.join(host.dir, 'xenpolicy.json');
      writeFileSync(file, JSON.stringify({ types: ['dom0_t', 'domU_t'] }));
      tf.writeFile('main.tf', config(host, file, domain('web', 'system_u:system_r:domU_t', true)));
      const r = await run(tf, 'apply', '-auto-approve');
      expect(r.code).toBe(1);
      expect(r.out).toMatch(
        new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a compiled FLASK policy`),
      );
      expect(r.out).toMatch(/It looks like a JSON text/);
      expect(r.out).toMatch(/policy_file = "/);
      expect(domainNames(host)).toEqual(['Domain-0']);
      expect(simFlask(host).policySha256).toBeUndefined();
    },
    300_000,
  );

  testWithTerraform(
    'a device type as a domain label is refused at plan against the planned policy, naming the domain types; nothing is created',
    async (tf) => {
      const host = simHost();
      const file = path.join(host.dir, 'xenpolicy-4.17');
      copyFileSync(FIXTURE, file);
      tf.writeFile('main.tf', config(host, file, domain('netdd', 'system_u:system_r:nic_dev_t', true)));
      const r = await run(tf, 'apply', '-auto-approve');
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/FLASK label "system_u:system_r:nic_dev_t": nic_dev_t is a device \(resource\) type/);
      expect(r.out).toMatch(/Valid domain types in this policy: .*domU_t/);
      expect(r.out).toMatch(/the policy planned in this configuration/);
      expect(r.out).toMatch(/seclabel = "system_u:system_r:nic_dev_t"/);
      expect(domainNames(host)).toEqual(['Domain-0']);
      expect(simFlask(host).policySha256).toBeUndefined();
    },
    300_000,
  );

  testWithTerraform(
    'a domain type as a PCI device label is refused at plan against the planned policy; the device type passes; nothing is changed',
    async (tf) => {
      const host = simHost();
      const file = path.join(host.dir, 'xenpolicy-4.17');
      copyFileSync(FIXTURE, file);
      const nic = (label: string) => `
resource "xen_pci_assignable" "nic" {
  bdf        = "03:00.0"
  seclabel   = "${label}"
  depends_on = [xen_flask_policy.p]
}
`;
      tf.writeFile('main.tf', config(host, file, nic('system_u:object_r:domU_t')));
      const bad = await run(tf, 'plan');
      expect(bad.code).toBe(1);
      expect(bad.out).toMatch(/domU_t/);
      expect(bad.out).toMatch(/seclabel = "system_u:object_r:domU_t"/);
      tf.writeFile('main.tf', config(host, file, nic('system_u:object_r:nic_dev_t')));
      const good = await run(tf, 'plan');
      expect(good.code).toBe(0);
      expect(good.out).toMatch(/2 to add/);
      expect(host.xl('pci-assignable-list').trim()).toBe('');
    },
    300_000,
  );
});
