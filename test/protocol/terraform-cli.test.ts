// The real Terraform CLI against the built provider (dev_overrides, offline). Skips loudly without terraform.
import { MINIMAL_CONFIG, PROVIDER_SOURCE, testWithTerraform } from '../support/terraform';

testWithTerraform(
  'terraform providers schema -json lists the provider (Terraform drives handshake, mTLS, schema, shutdown)',
  async (tf) => {
    tf.writeFile('main.tf', MINIMAL_CONFIG);
    const r = await tf.run(['providers', 'schema', '-json']);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    const doc = JSON.parse(r.stdout) as { provider_schemas: Record<string, { provider: { block: unknown } }> };
    expect(Object.keys(doc.provider_schemas)).toEqual([PROVIDER_SOURCE]);
    expect(doc.provider_schemas[PROVIDER_SOURCE].provider).toHaveProperty('block');
  },
);

testWithTerraform('terraform validate runs the provider through a validate walk', async (tf) => {
  tf.writeFile('main.tf', MINIMAL_CONFIG);
  const r = await tf.run(['validate', '-no-color']);
  expect({ code: r.code, out: r.stdout + r.stderr }).toMatchObject({ code: 0 });
});
