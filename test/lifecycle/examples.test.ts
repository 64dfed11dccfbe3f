// Every example in examples/ (the registry layout: provider, resources/<type>, data-sources/<type>, functions/<name>) is planned by
// real Terraform against a fresh simulated host, so the examples in the docs keep working.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { testWithTerraform } from '../support/terraform';
import { simHost } from '../support/sim';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const read = (p: string) => readFileSync(path.join(EXAMPLES, p), 'utf8');

/** Examples that refer to objects another example declares. */
const NEEDS: Record<string, string[]> = {
  'resources/xen_vif/resource.tf': ['resources/xen_driver_domain/resource.tf', 'resources/xen_domain/resource.tf'],
  'resources/xen_disk/resource.tf': ['resources/xen_domain/resource.tf'],
  'resources/xen_vtpm/resource.tf': ['resources/xen_vtpm_manager/resource.tf'],
};

const CASES = [
  'resources/xen_pci_assignable/resource.tf',
  'resources/xen_driver_domain/resource.tf',
  'resources/xen_domain/resource.tf',
  'resources/xen_vif/resource.tf',
  'resources/xen_disk/resource.tf',
  'resources/xen_flask_policy/resource.tf',
  'data-sources/xen_host/data-source.tf',
  'data-sources/xen_pci_devices/data-source.tf',
  'data-sources/xen_domain/data-source.tf',
  'resources/xen_vtpm_manager/resource.tf',
  'resources/xen_vtpm/resource.tf',
  'functions/bdf/function.tf',
  'functions/mac/function.tf',
  'functions/seclabel/function.tf',
];

/**
 * Examples that need more than the demo host has: the FLASK policy file exists only on a real dom0, and the vTPM
 * labels need a policy module defining vtpmmgr_t / vtpm_t (examples/hcl/vtpm-guest applies them on such a host).
 */
const VALIDATE_ONLY = ['flask', 'vtpm'];

describe('examples', () => {
  for (const example of CASES) {
    testWithTerraform(`${example} plans cleanly on the demo host`, async (tf) => {
      const host = simHost();
      tf.writeFile('provider.tf', read('provider/provider.tf').replace('sim://.xen-sim', host.connection));
      [...(NEEDS[example] ?? []), example].forEach((f, i) =>
        tf.writeFile(`${i}-${path.basename(path.dirname(f))}.tf`, read(f)),
      );
      const args = VALIDATE_ONLY.some((v) => example.includes(v))
        ? ['validate', '-no-color']
        : ['plan', '-no-color', '-input=false'];
      const r = await tf.run(args);
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/Error/);
      expect(r.code).toBe(0);
    });
  }

  testWithTerraform('provider example plans with no resources', async (tf) => {
    const host = simHost();
    tf.writeFile('provider.tf', read('provider/provider.tf').replace('sim://.xen-sim', host.connection));
    const r = await tf.run(['plan', '-no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No changes/);
  });
});
