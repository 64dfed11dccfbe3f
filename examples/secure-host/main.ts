// The cdktf app (`cdktf synth` / `cdktf deploy` run it from this directory; see cdktf.json).
import * as path from 'node:path';
import { App } from 'cdktf';
import { SecureHostStack } from './stack';

const app = new App();
new SecureHostStack(app, 'secure-host', {
  policyFile: process.env.XEN_POLICY_FILE ?? path.resolve('policy/xenpolicy.json'),
  stateFile: process.env.XEN_STATE_FILE,
});
app.synth();
