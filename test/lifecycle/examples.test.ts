// Every example in examples/ (the registry layout: provider, resources/<type>, data-sources/<type>) is planned by
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
];

describe('examples', () => {
  for (const example of CASES) {
    testWithTerraform(`${example} plans cleanly on the demo host`, async (tf) => {
      const host = simHost();
      tf.writeFile('provider.tf', read('provider/provider.tf').replace('sim://.xen-sim', host.connection));
      [...(NEEDS[example] ?? []), example].forEach((f, i) => tf.writeFile(`${i}-${path.basename(path.dirname(f))}.tf`, read(f)));
      // The policy file of the FLASK example exists only on a real dom0: validate it, plan the rest.
      const args = example.includes('flask') ? ['validate', '-no-color'] : ['plan', '-no-color', '-input=false'];
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
