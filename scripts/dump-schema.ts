// `npm run schema`: print the built provider's schema as `terraform providers schema -json` would, no terraform needed.
import * as path from 'node:path';
import { dumpProviderSchema } from './schema/dump';

async function main(): Promise<void> {
  const binary = process.argv[2] ?? path.resolve('dist/terraform-provider-xen');
  const schema = await dumpProviderSchema(binary);
  process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
