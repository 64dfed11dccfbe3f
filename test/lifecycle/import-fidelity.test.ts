// What a plan shows for attributes that cannot change, with real Terraform on the simulated host: an in-place update
// of a PV guest lists only what changes (no "(known after apply)" for its stub domain id, which it never has).

import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { resources } from '../../provider/resources/registry';
import { testWithTerraform, type TerraformWorkspace } from '../support/terraform';
import { providerRoot, providerConfig, simHost, type SimHost } from '../support/sim';
import { TerraformSession } from '../support/lifecycle';
import { Unknown } from '../../provider/protocol/cty/types';

const KERNEL = '/var/lib/xen/images/vmlinuz';
const FLASK_POLICY = path.join(__dirname, '..', 'fixtures', 'flask', 'xenpolicy-4.17');

testWithTerraform(
  'in-place memory change of a PV guest: the plan lists memory only, no known-after-apply noise',
  async (tf) => {
    const host = simHost();
    const hcl = (memory: number) => `${providerRoot(host, OFF)}
resource "xen_domain" "web" {
  name     = "web"
  memory   = ${memory}
  maxmem   = 1024
  firmware = "pvgrub64"
}
`;
    tf.writeFile('main.tf', hcl(256));
    const create = await tf.run(['plan', '-no-color'], { timeoutMs: 120_000 });
    // A PV guest never has a stub domain: null, which Terraform leaves out of the plan, not "(known after apply)".
    expect(create.stdout).not.toMatch(/stubdomain_domid/);
    const apply = await tf.run(['apply', '-auto-approve', '-no-color'], { timeoutMs: 120_000 });
    if (apply.code !== 0) throw new Error(apply.stdout + apply.stderr);
    tf.writeFile('main.tf', hcl(512));
    const plan = await tf.run(['plan', '-no-color'], { timeoutMs: 120_000 });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/~ memory\s+= 256 -> 512/);
    expect(plan.stdout).not.toMatch(/known after apply/);
    expect(plan.stdout).toMatch(/0 to add, 1 to change, 0 to destroy/);
  },
  240_000,
);

// Every managed resource type made by hand on the simulated host (the way an existing Xen host is found), imported
// with `import {}` blocks and `terraform plan -generate-config-out`: the generated configuration must apply with no
// change and then plan empty. The HVM guest has a disk and a vif hot-attached after its creation, which real xl keeps
// in the domain's configuration like the ones it was created with (`xl list -l`; fixtures/xl-4.17/xl-list-l.all.json
// shows the hot-attached vif devid 1 there). Nothing records which of a hand-made domain's disks came later, so its
// import lists them all; moving the hot-attached one to the xen_disk it is imported as hands it over in place.
testWithTerraform(
  'every resource type made by hand: import blocks + -generate-config-out apply with 0 changes, then an empty plan',
  async (tf) => {
    const host = simHost();
    const file = (name: string, text: string) => {
      const p = path.join(host.dir, name);
      writeFileSync(p, text);
      return p;
    };
    host.xl('pci-assignable-add', '03:00.0');
    host.xl(
      'create',
      file(
        'netdd.cfg',
        `name = "netdd"\ntype = "pv"\nmemory = 256\nkernel = "${KERNEL}"\ncmdline = "iommu=soft"\ndriver_domain = 1\npci = [ '03:00.0' ]\n`,
      ),
    );
    host.xl(
      'create',
      file(
        'g1.cfg',
        `name = "g1"\ntype = "hvm"\nmemory = 512\nvcpus = 2\ndisk = [ 'format=raw,vdev=xvda,access=rw,target=/dev/vg0/g1' ]\n`,
      ),
    );
    host.xl('block-attach', 'g1', 'format=raw,vdev=xvdb,access=rw,target=/dev/vg0/data');
    host.xl('network-attach', 'g1', 'backend=netdd', 'bridge=xenbr0');
    host.xl(
      'create',
      file(
        'stub.cfg',
        `name = "stub"\ntype = "hvm"\nmemory = 256\ndevice_model_stubdomain_override = 1\ndisk = [ 'vdev=xvda,target=/dev/vg0/stub' ]\n`,
      ),
    );
    host.xl(
      'create',
      file(
        'pv1.cfg',
        `name = "pv1"\nmemory = 256\nkernel = "${KERNEL}"\nramdisk = "/var/lib/xen/images/initrd.img"\nextra = "console=hvc0"\ndisk = [ 'vdev=xvda,target=/dev/vg0/pv1' ]\n`,
      ),
    );
    host.xl(
      'create',
      file(
        'mgr.cfg',
        `name = "vtpmmgr"\ntype = "pv"\nmemory = 16\nvcpus = 1\nkernel = "/usr/lib/xen/boot/vtpmmgr-stubdom.gz"\nextra = "tpmlocality=2 tpm2=1"\niomem = [ 'fed42,1' ]\ndisk = [ 'backend=Domain-0,format=raw,vdev=hda,access=rw,target=/var/lib/xen/vtpm/mgr.img' ]\n`,
      ),
    );
    host.xl(
      'create',
      file(
        'vtpm.cfg',
        `name = "web-vtpm"\ntype = "pv"\nmemory = 16\nvcpus = 1\nkernel = "/usr/lib/xen/boot/vtpm-stubdom.gz"\ndisk = [ 'backend=Domain-0,format=raw,vdev=hda,access=rw,target=/var/lib/xen/vtpm/web.img' ]\nvtpm = [ 'backend=vtpmmgr' ]\n`,
      ),
    );
    const policy = path.join(host.dir, 'xenpolicy-4.17');
    copyFileSync(FLASK_POLICY, policy);
    host.xl('loadpolicy', policy);
    host.xl('setenforce', '1');
    const mac = /00:16:3e:[0-9a-f:]+/.exec(host.xl('network-list', 'g1'))![0];

    tf.writeFile('main.tf', PROVIDER(host));
    const imports: Array<[string, string]> = [
      ['xen_pci_assignable.nic', '0000:03:00.0'],
      ['xen_driver_domain.netdd', 'netdd'],
      ['xen_domain.g1', 'g1'],
      ['xen_domain.pv1', 'pv1'],
      ['xen_domain.stub', 'stub'],
      ['xen_disk.g1_xvdb', 'g1/xvdb'],
      ['xen_vif.g1_0', 'g1/0'],
      ['xen_flask_policy.policy', policy],
      ['xen_vtpm_manager.mgr', 'vtpmmgr'],
      ['xen_vtpm.web', 'web-vtpm'],
    ];
    // Every managed type is covered: a type added to the registry without a case here fails this test.
    expect(new Set(imports.map(([to]) => to.split('.')[0]))).toEqual(new Set(resources.map((r) => r.typeName)));
    tf.writeFile('imports.tf', importBlocks(imports));

    const generated = await generateConfig(tf);
    expect(generated).toContain(`mac     = "${mac}"`);
    expect(generated).toContain(`policy_file = ${JSON.stringify(policy)}`);
    expect(vdevsOf(generated, 'xen_domain', 'g1')).toEqual(['xvda', 'xvdb']);
    expect(resourceBlock(generated, 'xen_domain', 'stub')).toMatch(
      /device_model \{\n\s+seclabel\s+= null\n\s+stubdomain\s+= true/,
    );
    await applyNoChange(tf, imports.length);
    await expectEmptyPlan(tf);

    // The hot-attached disk is the xen_disk's: out of the domain's blocks it goes, in place, and stays attached.
    tf.writeFile('generated.tf', withoutDisk(readFileSync(path.join(tf.dir, 'generated.tf'), 'utf8'), 'g1', 'xvdb'));
    const handover = await tf.run(['plan', '-no-color'], { timeoutMs: 300_000 });
    expect(handover.code).toBe(0);
    expect(handover.stdout).toMatch(/0 to add, 1 to change, 0 to destroy/);
    expect(handover.stdout).not.toMatch(/must be replaced|forces replacement/);
    expect(oneLine(handover.stdout + handover.stderr)).toMatch(/xvdb stays attached to g1/);
    const apply = await tf.run(['apply', '-auto-approve', '-no-color'], { timeoutMs: 300_000 });
    if (apply.code !== 0) throw new Error(apply.stdout + apply.stderr);
    expect(apply.stdout).toMatch(/0 added, 1 changed, 0 destroyed/);
    await expectEmptyPlan(tf);
    expect(host.xl('block-list', 'g1')).toMatch(/51728/); // xvdb
  },
  600_000,
);

// A domain this provider created, with a disk and a vif that xen_disk and xen_vif attached, imported into a new state
// (a lost state, or a configuration split): the rendered config it was created from says which disk is its own, so
// the hot-attached one is only the xen_disk's.
testWithTerraform(
  'a domain of this provider with hot-attached devices imports as xen_domain + xen_disk + xen_vif with no duplicate',
  async (tf) => {
    const host = simHost();
    tf.writeFile(
      'main.tf',
      `${PROVIDER(host)}
resource "xen_domain" "web" {
  name     = "web"
  memory   = 256
  firmware = "pvgrub64"
  disk {
    target = "/dev/vg0/web"
    vdev   = "xvda"
  }
}
resource "xen_disk" "data" {
  domain  = xen_domain.web.name
  backend = "Domain-0"
  target  = "/dev/vg0/data"
  vdev    = "xvdb"
}
resource "xen_vif" "web0" {
  domain  = xen_domain.web.name
  backend = "Domain-0"
  bridge  = "xenbr0"
}
`,
    );
    const made = await tf.run(['apply', '-auto-approve', '-no-color'], { timeoutMs: 300_000 });
    if (made.code !== 0) throw new Error(made.stdout + made.stderr);
    expect(JSON.parse(host.xl('list', '-l', 'web'))[0].config.disks.map((d: { vdev: string }) => d.vdev)).toEqual([
      'xvda',
      'xvdb',
    ]);

    // A new state: the same objects, found by import.
    for (const f of ['terraform.tfstate', 'terraform.tfstate.backup']) rmSync(path.join(tf.dir, f), { force: true });
    tf.writeFile('main.tf', PROVIDER(host));
    const imports: Array<[string, string]> = [
      ['xen_domain.web', 'web'],
      ['xen_disk.data', 'web/xvdb'],
      ['xen_vif.web0', 'web/0'],
    ];
    tf.writeFile('imports.tf', importBlocks(imports));
    const generated = await generateConfig(tf);
    expect(vdevsOf(generated, 'xen_domain', 'web')).toEqual(['xvda']);
    expect(vdevsOf(generated, 'xen_disk', 'data')).toEqual(['xvdb']);
    await applyNoChange(tf, imports.length);
    await expectEmptyPlan(tf);
  },
  600_000,
);

const OFF = { security_policy: '"off"' };

function PROVIDER(host: SimHost): string {
  return providerRoot(host, OFF);
}

function importBlocks(imports: Array<[string, string]>): string {
  return imports.map(([to, id]) => `import {\n  to = ${to}\n  id = ${JSON.stringify(id)}\n}\n`).join('\n');
}

/** `terraform plan -generate-config-out=generated.tf`; returns what it wrote. */
async function generateConfig(tf: TerraformWorkspace): Promise<string> {
  const gen = await tf.run(['plan', '-no-color', '-generate-config-out=generated.tf'], { timeoutMs: 300_000 });
  if (gen.code !== 0) throw new Error(gen.stdout + gen.stderr);
  return readFileSync(path.join(tf.dir, 'generated.tf'), 'utf8');
}

async function applyNoChange(tf: TerraformWorkspace, imported: number): Promise<void> {
  const apply = await tf.run(['apply', '-auto-approve', '-no-color'], { timeoutMs: 300_000 });
  if (apply.code !== 0) throw new Error(apply.stdout + apply.stderr);
  expect(apply.stdout).toMatch(
    new RegExp(`Apply complete! Resources: ${imported} imported, 0 added, 0 changed, 0 destroyed`),
  );
  expect(apply.stdout).not.toMatch(/known after apply/);
}

async function expectEmptyPlan(tf: TerraformWorkspace): Promise<void> {
  const plan = await tf.run(['plan', '-no-color', '-detailed-exitcode'], { timeoutMs: 300_000 });
  if (plan.code !== 0) throw new Error(`plan -detailed-exitcode exited ${plan.code}\n${plan.stdout}${plan.stderr}`);
  expect(plan.stdout).toMatch(/No changes/);
}

/** The resource's block in generated HCL (Terraform writes each as `resource "T" "N" {` ... a closing `}` alone). */
function resourceBlock(hcl: string, type: string, name: string): string {
  const start = hcl.indexOf(`resource "${type}" "${name}" {`);
  if (start < 0) throw new Error(`no ${type}.${name} in:\n${hcl}`);
  return hcl.slice(start, hcl.indexOf('\n}\n', start) + 3);
}

function vdevsOf(hcl: string, type: string, name: string): string[] {
  return [...resourceBlock(hcl, type, name).matchAll(/vdev\s+= "([^"]+)"/g)].map((m) => m[1]);
}

function withoutDisk(hcl: string, name: string, vdev: string): string {
  const block = resourceBlock(hcl, 'xen_domain', name);
  const trimmed = block.replace(new RegExp(`\n  disk \\{\n(?:    [^\n]*\n)*?    vdev\\s+= "${vdev}"\n  \\}`), '');
  if (trimmed === block) throw new Error(`no disk ${vdev} in:\n${block}`);
  return hcl.replace(block, trimmed);
}

const oneLine = (s: string) => s.replace(/│/g, ' ').replace(/\s+/g, ' ');

// The disk rules at plan, through the real binary: the domain's own disks are its creation config, so for a domain
// this provider created, any change to them (added, changed, removed) replaces it, with what the new domain reports
// unknown; only a hand-made domain's still-attached disk can leave its blocks in place.
describe('disk blocks at plan', () => {
  const sessions: TerraformSession[] = [];
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close()));
  });
  const disk = (vdev: string, target: string) => ({
    vdev,
    target,
    backend: 'Domain-0',
    format: 'raw',
    access: 'rw',
    backendtype: null,
    script: null,
  });

  test('a domain of this provider: adding, changing or removing a disk replaces it', async () => {
    const host = simHost();
    const tf = await TerraformSession.start();
    sessions.push(tf);
    await tf.configure(providerConfig(host, { security_policy: 'off' }));
    const config = (disks: unknown[]) =>
      tf.config('xen_domain', { name: 'g1', firmware: 'pvgrub64', memory: 128, disk: disks });
    const two = [disk('xvda', '/dev/vg0/a'), disk('xvdb', '/dev/vg0/b')];
    const { state } = await tf.applyConfig('xen_domain', null, config(two));
    expect((await tf.isNoop('xen_domain', state, config(two))).noop).toBe(true);
    for (const disks of [[two[0]], [...two, disk('xvdc', '/dev/vg0/c')], [two[0], disk('xvdb', '/dev/vg0/other')]]) {
      const plan = await tf.plan('xen_domain', state, config(disks));
      expect(plan.requiresReplace).toContain('disk');
      expect(plan.planned!.domid).toBeInstanceOf(Unknown);
      expect(plan.planned!.uuid).toBeInstanceOf(Unknown);
      expect(plan.diags).toEqual([]);
    }
  });

  test('a hand-made domain: a changed disk replaces it, a still-attached one left out of its blocks is handed over in place', async () => {
    const host = simHost();
    const cfg = path.join(host.dir, 'g1.cfg');
    writeFileSync(
      cfg,
      `name = "g1"\nmemory = 128\nkernel = "${KERNEL}"\ndisk = [ 'vdev=xvda,target=/dev/vg0/a', 'vdev=xvdb,target=/dev/vg0/b' ]\n`,
    );
    host.xl('create', cfg);
    const tf = await TerraformSession.start();
    sessions.push(tf);
    await tf.configure(providerConfig(host, { security_policy: 'off' }));
    const imported = await tf.importState('xen_domain', 'g1');
    const config = (disks: unknown[]) =>
      tf.config('xen_domain', { name: 'g1', kernel: KERNEL, memory: 128, disk: disks });
    const changed = await tf.plan(
      'xen_domain',
      imported,
      config([disk('xvda', '/dev/vg0/a'), disk('xvdb', '/dev/vg0/other')]),
    );
    expect(changed.requiresReplace).toContain('disk');
    const left = await tf.plan('xen_domain', imported, config([disk('xvda', '/dev/vg0/a')]));
    expect(left.requiresReplace).toEqual([]);
    expect(left.diags.map((d) => d.summary)).toEqual(['xvdb stays attached to g1']);
    expect(left.planned!.domid).toBe(imported.domid);
  });
});

// In-place updates of every type that has one, in one plan: only what changes is listed, never "(known after apply)"
// for an attribute an in-place update cannot change (ids, domids, uuids, states, an HVM guest's stub domain).
testWithTerraform(
  'in-place updates of every updatable type: no known-after-apply noise',
  async (tf) => {
    const host = simHost({ flask: { mode: 'permissive', policy_types: ['dom0_t', 'domU_t'] } });
    const policy = path.join(host.dir, 'xenpolicy-4.17');
    copyFileSync(FLASK_POLICY, policy);
    const hcl = (v: { memory: number; reset: boolean; autostart: boolean; enforcing: boolean }) => `${PROVIDER(host)}
resource "xen_flask_policy" "p" {
  policy_file = ${JSON.stringify(policy)}
  enforcing   = ${v.enforcing}
}
resource "xen_pci_assignable" "nic" {
  bdf          = "03:00.0"
  strict_reset = ${v.reset}
}
resource "xen_driver_domain" "netdd" {
  name    = "netdd"
  class   = "network"
  kernel  = "${KERNEL}"
  cmdline = "iommu=soft"
  memory  = ${v.memory}
  maxmem  = 1024
  pci { bdf = xen_pci_assignable.nic.bdf }
}
resource "xen_domain" "hvm" {
  name   = "hvm"
  type   = "hvm"
  memory = ${v.memory}
  maxmem = 1024
  device_model { stubdomain = true }
}
resource "xen_vtpm_manager" "mgr" {
  name        = "vtpmmgr"
  storage     = "/var/lib/xen/vtpm/mgr.img"
  tpm_version = "2.0"
  autostart   = ${v.autostart}
}
resource "xen_vtpm" "web" {
  name      = "web-vtpm"
  manager   = xen_vtpm_manager.mgr.name
  storage   = "/var/lib/xen/vtpm/web.img"
  autostart = ${v.autostart}
}
`;
    tf.writeFile('main.tf', hcl({ memory: 256, reset: true, autostart: false, enforcing: false }));
    const apply = await tf.run(['apply', '-auto-approve', '-no-color'], { timeoutMs: 300_000 });
    if (apply.code !== 0) throw new Error(apply.stdout + apply.stderr);
    await expectEmptyPlan(tf);
    tf.writeFile('main.tf', hcl({ memory: 512, reset: false, autostart: true, enforcing: true }));
    const plan = await tf.run(['plan', '-no-color'], { timeoutMs: 300_000 });
    if (plan.code !== 0) throw new Error(plan.stdout + plan.stderr);
    expect(plan.stdout).toMatch(/0 to add, 6 to change, 0 to destroy/);
    expect(plan.stdout).not.toMatch(/known after apply/);
    const update = await tf.run(['apply', '-auto-approve', '-no-color'], { timeoutMs: 300_000 });
    if (update.code !== 0) throw new Error(update.stdout + update.stderr);
    await expectEmptyPlan(tf);
  },
  600_000,
);

describe('xen_flask_policy import ids', () => {
  const sessions: TerraformSession[] = [];
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close()));
  });

  test('"flask" names the policy this provider loaded; without a record it is refused, saying to use the file path', async () => {
    const host = simHost({ flask: { mode: 'permissive', policy_types: ['dom0_t', 'domU_t'] } });
    const policy = path.join(host.dir, 'xenpolicy-4.17');
    copyFileSync(FLASK_POLICY, policy);
    const tf = await TerraformSession.start();
    sessions.push(tf);
    await tf.configure(providerConfig(host));
    const refused = await tf.importState('xen_flask_policy', 'flask').catch((e: unknown) => e);
    expect(String((refused as Error).message)).toMatch(/path of the compiled policy file/);
    const config = tf.config('xen_flask_policy', { policy_file: policy });
    const { state } = await tf.applyConfig('xen_flask_policy', null, config);
    const next = await TerraformSession.start();
    sessions.push(next);
    await next.configure(providerConfig(host));
    for (const id of ['flask', policy]) {
      const imported = await next.importState('xen_flask_policy', id);
      expect(imported).toMatchObject({ policy_file: policy, sha256: state.sha256, mode: 'enforcing' });
      expect((await next.isNoop('xen_flask_policy', imported, config)).noop).toBe(true);
    }
  });
});
