// examples/hcl/vtpm-guest with the real Terraform CLI (1.11) against the built provider and a simulated host:
// provider functions called from HCL, a write-only VNC password from an ephemeral variable that is in no plan, state
// or `terraform show -json` output (while libxl has it), the vTPM chain, drift repaired in one apply, and bad input
// reported as diagnostics naming the argument or attribute.

import { copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { testWithTerraform } from '../support/terraform';
import type { TerraformWorkspace } from '../support/terraform';
import { XL_SIM } from '../support/sim';
import { execFileSync } from 'node:child_process';

const EXAMPLE = path.resolve(__dirname, '../../examples/hcl/vtpm-guest');
const PASSWORD = 'Vnc-8chr';

async function run(tf: TerraformWorkspace, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = await tf.run([...args, '-no-color'], {
    timeoutMs: 300_000,
    env: { TF_VAR_desk_vnc_password: PASSWORD, ...env },
  });
  // Terraform wraps diagnostics at 80 columns: compare with whitespace collapsed.
  return { ...r, out: r.stdout + r.stderr, flat: (r.stdout + r.stderr).replace(/\s+/g, ' ') };
}

function xl(tf: TerraformWorkspace, ...args: string[]): string {
  return execFileSync(XL_SIM, args, {
    env: { ...process.env, XEN_SIM_STATE: path.join(tf.dir, '.xen-sim') },
    encoding: 'utf8',
  });
}

function setUp(tf: TerraformWorkspace): void {
  for (const f of ['main.tf', 'host.json']) copyFileSync(path.join(EXAMPLE, f), path.join(tf.dir, f));
}

describe('examples/hcl/vtpm-guest with terraform', () => {
  testWithTerraform(
    'apply: functions, vTPM chain, write-only password kept out of plan and state; drift repaired in one apply; destroy',
    async (tf) => {
      setUp(tf);
      const plan = await run(tf, ['plan', '-out=tfplan']);
      expect(plan.code).toBe(0);
      expect(plan.out).toMatch(/\+ bdf\s+= "0000:03:00.0"/); // provider::xen::bdf("3:0.0")
      expect(plan.out).toMatch(/\+ seclabel\s+= "system_u:system_r:vtpmmgr_t"/);
      expect(plan.out).toMatch(/mac\s+= "00:16:3e:[0-7][0-9a-f](:[0-9a-f]{2}){2}"/);
      expect(plan.out).toMatch(/password_wo\s+= \(write-only attribute\)/);
      const planJson = (await run(tf, ['show', '-json', 'tfplan'])).stdout;
      expect(planJson).toContain('"password_wo_version":1');
      expect(planJson).not.toContain(PASSWORD);

      // Terraform's own trace log carries the provider's log lines (at trace too) and the RPCs: no password there.
      const traceLog = path.join(tf.dir, 'trace.log');
      const apply = await run(tf, ['apply', '-auto-approve'], { TF_LOG: 'trace', TF_LOG_PATH: traceLog });
      if (apply.code !== 0) throw new Error(apply.out);
      const trace = readFileSync(traceLog, 'utf8');
      expect(trace).toMatch(/toolstack command finished/);
      expect(trace).not.toContain(PASSWORD);
      const state = readFileSync(path.join(tf.dir, 'terraform.tfstate'), 'utf8');
      expect(state).not.toContain(PASSWORD);
      const shown = JSON.parse((await run(tf, ['show', '-json'])).stdout);
      expect(JSON.stringify(shown)).not.toContain(PASSWORD);
      const desk = shown.values.root_module.resources.find((r: any) => r.address === 'xen_domain.desk');
      expect(desk.values.vnc).toMatchObject({ password_wo: null, password_wo_version: 1, listen: '127.0.0.1' });
      // libxl's own copy in dom0, as the docs say; the rendered config that held it is gone.
      expect(xl(tf, 'list', '-l', 'desk')).toContain(`"passwd": "${PASSWORD}"`);
      const configs = readdirSync(path.join(tf.dir, '.xen-sim', 'configs'));
      expect(configs).not.toContain('desk.cfg');
      // The rendered configs and the crash journal (configs/journal/) alike.
      const files = (dir: string): string[] =>
        readdirSync(dir).flatMap((f) =>
          statSync(path.join(dir, f)).isDirectory() ? files(path.join(dir, f)) : [path.join(dir, f)],
        );
      for (const f of files(path.join(tf.dir, '.xen-sim', 'configs')))
        expect(readFileSync(f, 'utf8')).not.toContain(PASSWORD);

      const outputs = JSON.parse((await run(tf, ['output', '-json'])).stdout);
      expect(outputs.web_tcb.value).toEqual(['Xen', 'Domain-0', 'netdd', 'vtpmmgr', 'web-vtpm']);
      expect(outputs.findings.value).toEqual([]);
      expect(xl(tf, 'vtpm-list', 'web')).toMatch(/^0 +\d+ +[0-9a-f-]{36} +0 +4 /m);

      expect((await run(tf, ['plan', '-detailed-exitcode'])).code).toBe(0);

      // The vTPM manager destroyed by hand: its vTPM is replaced and, through replace_triggered_by, the guest too.
      xl(tf, 'destroy', 'vtpmmgr');
      const drift = await run(tf, ['plan']);
      expect(drift.out).toMatch(/xen_vtpm_manager\.mgr will be created/);
      expect(drift.out).toMatch(/xen_vtpm\.web must be replaced/);
      expect(drift.out).toMatch(/xen_domain\.web will be replaced due to changes in replace_triggered_by/);
      expect(drift.out).toMatch(/xen_vif\.web0 will be replaced due to changes in replace_triggered_by/);
      const repair = await run(tf, ['apply', '-auto-approve']);
      if (repair.code !== 0) throw new Error(repair.out);
      expect((await run(tf, ['plan', '-detailed-exitcode'])).code).toBe(0);

      const destroy = await run(tf, ['destroy', '-auto-approve']);
      if (destroy.code !== 0) throw new Error(destroy.out);
      expect(
        xl(tf, 'list')
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(/\s+/)[0]),
      ).toEqual(['Domain-0']);
    },
    600_000,
  );

  testWithTerraform(
    'bad input: function arguments and write-only misuse are diagnostics naming the argument or attribute',
    async (tf) => {
      setUp(tf);
      tf.writeFile(
        'bad.tf',
        `
output "bad_bdf" { value = provider::xen::bdf("3:0.9") }
output "bad_mac" { value = provider::xen::mac("") }
output "bad_label" { value = provider::xen::seclabel("system_u:system_r:domU_t") }
`,
      );
      const r = await run(tf, ['plan']);
      expect(r.code).toBe(1);
      expect(r.flat).toContain('Invalid value for "address" parameter: "3:0.9" is not a PCI address');
      expect(r.flat).toContain('Invalid value for "seed" parameter: seed must not be empty');
      expect(r.flat).toContain(
        'Invalid value for "type" parameter: "system_u:system_r:domU_t" already looks like a full context',
      );
      expect(r.out).not.toMatch(/panic|crash|Plugin did not respond/i);

      tf.writeFile(
        'bad.tf',
        `
resource "xen_domain" "pvdesk" {
  name     = "pvdesk"
  firmware = "pvgrub64"
  seclabel = provider::xen::seclabel("domU_t")
  vnc {
    password_wo = var.desk_vnc_password
  }
}
`,
      );
      const v = await run(tf, ['validate']);
      expect(v.code).toBe(1);
      expect(v.flat).toMatch(/Error: vnc applies to HVM guests only .*resource "xen_domain" "pvdesk"/);

      // An ephemeral value may go only to a write-only attribute: Terraform itself checks the schema says so.
      tf.writeFile(
        'bad.tf',
        `
resource "xen_vtpm" "leak" {
  name    = "leak"
  manager = "vtpmmgr"
  storage = "/var/lib/xen/vtpm/\${var.desk_vnc_password}.img"
}
`,
      );
      const e = await run(tf, ['validate']);
      expect(e.code).toBe(1);
      expect(e.flat).toContain(
        'Ephemeral values are not valid for "storage", because it is not a write-only attribute',
      );
    },
    300_000,
  );
});
