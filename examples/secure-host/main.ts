// The cdktn app: `cdktn synth` / `cdktn deploy` run it from this directory (cdktf.json's "app"). Where the host is
// comes from the environment, and must be named: there is no default host.
import * as path from 'node:path';
import { App } from 'cdktn';
import { SecureHostStack } from './stack';

const connection = process.env.XEN_CONNECTION;
if (!connection) {
  console.error(
    'Set XEN_CONNECTION to the Xen host: "xl:///usr/sbin/xl" (running in dom0), "ssh://USER@HOST/usr/sbin/xl" (from a\n' +
      'CI runner or laptop), or "sim://DIR" for the simulated host, e.g. XEN_CONNECTION=sim://$PWD/.xen-sim',
  );
  process.exit(1);
}

const app = new App();
new SecureHostStack(app, 'secure-host', {
  connection,
  policyFile: process.env.XEN_POLICY_FILE ?? path.resolve('policy/xenpolicy-4.17'),
  stateFile: process.env.XEN_STATE_FILE,
});
app.synth();
