// Entry of the test-only fixture provider binary: the shipped plugin transport serving the fixture definition.
import { log } from '../../../provider/log';
import { serve } from '../../../provider/plugin/serve';
import { createProviderService } from '../../../provider/framework';
import { fixtureProvider } from './definition';

serve({
  env: process.env,
  log,
  debug: process.argv.includes('--debug'),
  loadProviderService: () => createProviderService(fixtureProvider),
  writeStdout: (text) => process.stdout.write(text),
  exit: (code) => process.exit(code),
}).catch((err: unknown) => {
  process.stderr.write(`fixture provider failed: ${String(err)}\n`);
  process.exit(1);
});
