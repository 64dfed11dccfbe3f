// Real Terraform with the ssh transport: two Xen hosts in one configuration (provider aliases, one the simulated host
// here, one a simulated dom0 behind a real server()), one ssh connection per provider process Terraform starts, and a
// configuration that names no host refused at validate and plan with the three choices.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { providerHcl, simHost, sshSimHost } from '../support/sim';
import { sshdForSuite } from '../support/sshd';
import { testWithTerraform, type TerraformWorkspace } from '../support/terraform';

const server = sshdForSuite();

const HEAD = `terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}
`;

async function tf(ws: TerraformWorkspace, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = await ws.run([...args, '-no-color'], { timeoutMs: 240_000, env });
  return { ...r, out: r.stdout + r.stderr };
}

testWithTerraform(
  'two hosts in one configuration: provider aliases, one local and one over ssh, each with its own domains',
  async (ws) => {
    const here = simHost();
    const there = sshSimHost(server());
    ws.writeFile(
      'main.tf',
      `${HEAD}
provider "xen" {
  alias = "here"
${providerHcl(here)}
}

provider "xen" {
  alias = "there"
${providerHcl(there)}
}

resource "xen_domain" "web" {
  provider = xen.here
  name     = "web"
  memory   = 256
  firmware = "pvgrub64"
}

resource "xen_domain" "db" {
  provider = xen.there
  name     = "db"
  memory   = 512
  firmware = "pvgrub64"
}

data "xen_host" "there" {
  provider = xen.there
}

output "there_version" {
  value = data.xen_host.there.xen_version
}
`,
    );
    const apply = await tf(ws, ['apply', '-auto-approve']);
    expect({ code: apply.code, out: apply.out }).toMatchObject({ code: 0 });
    expect(apply.out).toMatch(/there_version = "4\.17\.7"/);
    expect(here.xl('list')).toMatch(/^web /m);
    expect(here.xl('list')).not.toMatch(/^db /m);
    expect(there.xl('list')).toMatch(/^db /m);
    expect(there.xl('list')).not.toMatch(/^web /m);
    expect((await tf(ws, ['plan', '-detailed-exitcode'])).code).toBe(0);
    there.xl('destroy', 'db');
    const drift = await tf(ws, ['plan', '-detailed-exitcode']);
    expect(drift.code).toBe(2);
    expect(drift.out).toMatch(/xen_domain\.db will be created/);
    expect(drift.out).toMatch(/Plan: 1 to add, 0 to change, 0 to destroy/);
    expect((await tf(ws, ['destroy', '-auto-approve'])).code).toBe(0);
    expect(here.xl('list').trim().split('\n')).toHaveLength(2);
    expect(there.xl('list').trim().split('\n')).toHaveLength(2);
  },
  300_000,
);

testWithTerraform(
  'one ssh connection per provider process, however many resources a plan reads',
  async (ws) => {
    const host = sshSimHost(server());
    const domains = Array.from(
      { length: 8 },
      (_, i) => `
resource "xen_domain" "g${i}" {
  name     = "g${i}"
  memory   = 64
  firmware = "pvgrub64"
}
`,
    ).join('');
    ws.writeFile('main.tf', `${HEAD}\nprovider "xen" {\n${providerHcl(host)}\n}\n${domains}`);
    expect((await tf(ws, ['apply', '-auto-approve'])).code).toBe(0);
    const log = path.join(ws.dir, 'tf.log');
    const before = server().logins();
    const plan = await tf(ws, ['plan', '-detailed-exitcode'], { TF_LOG_PROVIDER: 'info', TF_LOG_PATH: log });
    expect(plan.code).toBe(0);
    const pids = [...readFileSync(log, 'utf8').matchAll(/connected to dom0 over ssh.*?"?pid"?[=:] ?(\d+)/g)].map(
      (m) => m[1],
    );
    expect(pids.length).toBeGreaterThan(0);
    // Each provider process that talked to dom0 connected exactly once, and server() saw exactly those logins.
    expect(new Set(pids).size).toBe(pids.length);
    expect(server().logins() - before).toBe(pids.length);
  },
  300_000,
);

testWithTerraform(
  'no connection anywhere: plan (and validate of a non-empty provider block) fail on `connection`, listing the three choices',
  async (ws) => {
    const config = (provider: string) => `${HEAD}
provider "xen" {${provider}}

resource "xen_domain" "web" {
  name     = "web"
  memory   = 256
  firmware = "pvgrub64"
}
`;
    const env = { XEN_CONNECTION: '' };
    const refused = (r: { code: number; out: string }, what: string) => {
      expect({ what, code: r.code }).toEqual({ what, code: 1 });
      expect(r.out).toMatch(/Error: No Xen host configured/);
      expect(r.out).toMatch(/xl:\/\/\/usr\/sbin\/xl/);
      expect(r.out).toMatch(/ssh:\/\/root@dom0\.example\.com\/usr\/sbin\/xl/);
      expect(r.out).toMatch(/sim:\/\/\/path\/to\/state/);
    };
    ws.writeFile('main.tf', config(''));
    refused(await tf(ws, ['plan'], env), 'plan, provider "xen" {}');
    // Terraform's validate walk skips an empty provider block; one with any setting is validated.
    ws.writeFile('main.tf', config('\n  security_policy = "warn"\n'));
    refused(await tf(ws, ['validate'], env), 'validate, provider "xen" { security_policy = "warn" }');
    refused(await tf(ws, ['plan'], env), 'plan, provider "xen" { security_policy = "warn" }');
    // Nothing was made anywhere: there is no default simulated host.
    expect(require('node:fs').existsSync(path.join(ws.dir, '.xen-sim'))).toBe(false);
    expect(require('node:fs').existsSync(path.join(ws.dir, 'terraform.tfstate'))).toBe(false);
  },
  120_000,
);
