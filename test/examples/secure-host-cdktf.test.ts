// examples/secure-host: synthesized as `cdktf synth` runs it (the app command of its cdktf.json), then applied by
// real Terraform through the built provider binary on the simulated host, as `cdktf deploy` does.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { DIST_DIR, PROVIDER_SOURCE, testWithTerraform } from '../support/terraform';
import type { TerraformWorkspace } from '../support/terraform';
import { EXAMPLE_POLICY, expectSecureHost, resourceChanges } from './helpers';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE = path.join(ROOT, 'examples/secure-host');
const SYNTH_BUDGET_MS = 5000;

async function synth(outDir: string, env: NodeJS.ProcessEnv = {}): Promise<number> {
  const app = (JSON.parse(readFileSync(path.join(EXAMPLE, 'cdktf.json'), 'utf8')) as { app: string }).app.split(' ');
  expect(app[0]).toBe('node');
  const started = Date.now();
  await run(process.execPath, app.slice(1), { cwd: EXAMPLE, env: { ...process.env, CDKTF_OUTDIR: outDir, ...env } });
  return Date.now() - started;
}

test(`synth of the example takes <= ${SYNTH_BUDGET_MS} ms and writes one stack`, async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'tfxen-synth-'));
  try {
    const ms = await synth(out);
    const stack = JSON.parse(readFileSync(path.join(out, 'stacks/secure-host/cdk.tf.json'), 'utf8')) as {
      terraform: { required_providers: { xen: { source: string } } };
      resource: Record<string, object>;
    };
    expect(stack.terraform.required_providers.xen.source).toBe('xen-project/xen');
    expect(Object.keys(stack.resource).sort()).toEqual(['xen_domain', 'xen_driver_domain', 'xen_flask_policy', 'xen_pci_assignable', 'xen_vif']);
    expect(ms).toBeLessThanOrEqual(SYNTH_BUDGET_MS);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 30_000);

/** A filesystem mirror for `terraform init` (what cdktf deploy runs; dev_overrides would make init query the registry). */
function mirrorConfig(dir: string): string {
  const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const target = path.join(dir, 'plugins', PROVIDER_SOURCE, version, 'linux_amd64');
  mkdirSync(target, { recursive: true });
  copyFileSync(path.join(DIST_DIR, 'terraform-provider-xen'), path.join(target, `terraform-provider-xen_v${version}`));
  const file = path.join(dir, 'mirror.tfrc');
  writeFileSync(file, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(path.join(dir, 'plugins'))}\n  }\n}\n`);
  return file;
}

testWithTerraform(
  'the synthesized example applies through the provider binary: driver domains serve every guest, plan is clean after',
  async (tf: TerraformWorkspace) => {
    const out = path.join(tf.dir, 'cdktf.out');
    const sim = path.join(tf.dir, 'sim');
    await synth(out, { XEN_POLICY_FILE: EXAMPLE_POLICY, XEN_STATE_FILE: path.join(tf.dir, 'terraform.tfstate') });
    const stackDir = path.join(out, 'stacks/secure-host');
    const env = { TF_CLI_CONFIG_FILE: mirrorConfig(tf.dir), XEN_CONNECTION: `sim://${sim}` };
    const opts = { env, timeoutMs: 180_000 };
    const inStack = ['-chdir=' + stackDir];
    const init = await tf.run([...inStack, 'init', '-input=false', '-no-color'], opts);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const apply = await tf.run([...inStack, 'apply', '-auto-approve', '-input=false', '-no-color'], opts);
    if (apply.code !== 0) throw new Error(`apply failed:\n${apply.stdout}\n${apply.stderr}`);
    expectSecureHost(sim);

    const output = await tf.run([...inStack, 'output', '-json', 'posture'], opts);
    const posture = JSON.parse(output.stdout) as { errors: number; flask: { mode: string }; host: { iommu: boolean }; tcb: Record<string, Array<{ domain: string }>> };
    expect(posture.errors).toBe(0);
    expect(posture.flask.mode).toBe('enforcing');
    expect(posture.host.iommu).toBe(true);
    expect(posture.tcb.web.map((t) => t.domain)).toEqual(expect.arrayContaining(['netdd', 'stordd']));

    const plan = await tf.run([...inStack, 'plan', '-input=false', '-no-color'], opts);
    expect(plan.code).toBe(0);
    expect(resourceChanges(plan.stdout)).toEqual([]);
  },
  300_000,
);
