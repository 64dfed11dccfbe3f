// The docs' example snippets (scripts/docs/examples/*.tf) together form one configuration that Terraform accepts
// against the provider's real schema: a renamed attribute or a dangling reference in an example fails here.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { testWithTerraform } from '../support/terraform';

const DIR = path.resolve(__dirname, '../../scripts/docs/examples');

testWithTerraform('the docs examples validate together', async (tf) => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.tf'))
    .sort();
  expect(files).toEqual(expect.arrayContaining(['provider.tf', 'xen_vif.tf', 'data.xen_security_posture.tf']));
  tf.writeFile('main.tf', files.map((f) => readFileSync(path.join(DIR, f), 'utf8')).join('\n'));
  const res = await tf.run(['validate', '-no-color']);
  if (res.code !== 0) throw new Error(`terraform validate failed:\n${res.stdout}\n${res.stderr}`);
});
