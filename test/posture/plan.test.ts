// Every posture rule triggered and not triggered through the real provider binary and real `terraform plan`,
// against the simulated host with different inventories and live domains seeded with dist/xl-sim. Needs
// `npm run build` first. Configurations group several rules each so the suite stays at a few terraform runs.

import { copyFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../provider/policy/rules';
import { testWithTerraform, type TerraformWorkspace } from '../support/terraform';
import {
  DEMO_TYPES,
  PROVIDER_BLOCK,
  createLive,
  diagnostics,
  inventory,
  postureOnly,
  xlSim,
  type PostureDiag,
} from './support';

const EXAMPLE = path.resolve(__dirname, '../../examples/weak-host');

async function plan(
  ws: TerraformWorkspace,
  args: string[] = [],
): Promise<{ code: number; diags: PostureDiag[]; out: string }> {
  const r = await ws.run(['plan', '-no-color', '-input=false', ...args]);
  const out = r.stdout + '\n' + r.stderr;
  return { code: r.code, diags: postureOnly(diagnostics(out)), out };
}

const brief = (d: PostureDiag[]) => d.map((x) => `${x.severity} ${x.rule} @ ${x.address}: ${x.line}`).sort();

/** The secure demo configuration of DESIGN.md (and examples/hcl): no rule may fire. */
const SECURE = `
resource "xen_pci_assignable" "nic" { bdf = "03:00.0" }
resource "xen_driver_domain" "net" {
  name     = "netdd"
  class    = "network"
  memory   = 256
  kernel   = "/var/lib/xen/images/vmlinuz"
  ramdisk  = "/var/lib/xen/images/initrd.img"
  cmdline  = "console=hvc0 iommu=soft"
  seclabel = "system_u:system_r:domU_t"
  pci { bdf = xen_pci_assignable.nic.bdf }
}
resource "xen_domain" "web" {
  name     = "web"
  memory   = 512
  firmware = "pvgrub64"
  seclabel = "system_u:system_r:domU_t"
}
resource "xen_vif" "web0" {
  domain  = xen_domain.web.name
  backend = xen_driver_domain.net.name
  bridge  = "xenbr0"
}
`;

describe('security posture through terraform plan', () => {
  const fired = new Set<string>();
  afterAll(() => {
    // Each rule has a positive case below; this catches a rule added without one (only meaningful when all ran).
    if (fired.size > 0) expect(RULES.map((r) => r.id).filter((id) => !fired.has(id))).toEqual([]);
  });

  testWithTerraform(
    'the secure demo host has no findings (every rule: negative)',
    async (ws) => {
      ws.writeFile('host.json', inventory());
      ws.writeFile('main.tf', PROVIDER_BLOCK() + SECURE);
      const r = await plan(ws);
      expect(r.diags).toEqual([]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Plan: 4 to add/);
    },
    180_000,
  );

  testWithTerraform(
    'examples/weak-host: no IOMMU, pygrub, HVM without stub domain, dom0 bridging, labels without FLASK',
    async (ws) => {
      for (const f of ['main.tf', 'host.json']) copyFileSync(path.join(EXAMPLE, f), path.join(ws.dir, f));
      // One more weakness, independent of the rest: a label on a Xen without FLASK.
      ws.writeFile(
        'labelled.tf',
        'resource "xen_domain" "labelled" {\n  name     = "labelled"\n  firmware = "pvgrub64"\n  seclabel = "system_u:system_r:domU_t"\n}\n',
      );
      const r = await plan(ws);
      expect(r.code).not.toBe(0);
      const got = brief(r.diags);
      expect(got).toEqual(
        expect.arrayContaining([
          'Error pci-passthrough-without-iommu @ xen_domain.desktop: pci { bdf = "01:00.0" }',
          'Warning hvm-device-model-in-dom0 @ xen_domain.desktop: type     = "hvm"',
          'Warning bootloader-in-dom0 @ xen_domain.legacy: bootloader = "pygrub"',
          'Warning guest-network-in-dom0 @ xen_vif.web0: backend = "Domain-0"',
        ]),
      );
      // flask-label-ignored is the one check of a label FLASK would ignore; it points at the label.
      const all = diagnostics(r.out);
      expect(
        all.some(
          (d) =>
            d.severity === 'Error' &&
            d.address === 'xen_domain.labelled' &&
            /FLASK label would be ignored/.test(d.summary) &&
            /seclabel/.test(d.line ?? ''),
        ),
      ).toBe(true);
      for (const d of r.diags) fired.add(d.rule!);
      fired.add('flask-label-ignored');
      // The remedy of the dom0 bridging finding names the NIC that could serve a driver domain.
      expect(r.out.replace(/\s+/g, ' ')).toContain('NIC 0000:03:00.0 is assignable');
    },
    180_000,
  );

  testWithTerraform(
    'security_policy = "off" skips the checks on the weak host',
    async (ws) => {
      copyFileSync(path.join(EXAMPLE, 'host.json'), path.join(ws.dir, 'host.json'));
      ws.writeFile(
        'main.tf',
        readFileSync(path.join(EXAMPLE, 'main.tf'), 'utf8').replace(
          'inventory  = "host.json"',
          'inventory  = "host.json"\n  security_policy = "off"',
        ),
      );
      const r = await plan(ws);
      expect(r.diags).toEqual([]);
      expect(r.code).toBe(0);
    },
    180_000,
  );

  testWithTerraform(
    'demo host under security_policy = "warn": PCI, FLASK, backends and driver domains',
    async (ws) => {
      ws.writeFile('host.json', inventory({ drivers: { '0000:00:1f.2': 'pciback', '0000:00:19.0': 'pciback' } }));
      // Live: a storage driver domain, a plain guest that another plan uses as a backend, and a domain holding 00:19.0.
      createLive(
        ws,
        'stordd',
        'type = "pv"\nmemory = 256\nkernel = "/var/lib/xen/images/vmlinuz"\ndriver_domain = 1\nseclabel = "system_u:system_r:domU_t"\npci = [ "00:1f.2" ]',
      );
      createLive(
        ws,
        'plain',
        'type = "pv"\nmemory = 256\nkernel = "/var/lib/xen/images/vmlinuz"\nseclabel = "system_u:system_r:domU_t"',
      );
      createLive(
        ws,
        'holder',
        'type = "pv"\nmemory = 256\nkernel = "/var/lib/xen/images/vmlinuz"\nseclabel = "system_u:system_r:domU_t"\npci = [ "00:19.0" ]',
      );
      ws.writeFile(
        'main.tf',
        PROVIDER_BLOCK('security_policy = "warn"') +
          `
resource "xen_domain" "web" {
  name     = "web"
  firmware = "pvgrub64"
  seclabel = "system_u:system_r:web_t"
  disk {
    target  = "/dev/vg0/web"
    vdev    = "xvda"
    backend = "Domain-0"
  }
}
resource "xen_domain" "nolabel" {
  name     = "nolabel"
  firmware = "pvgrub64"
}
resource "xen_domain" "gpu" {
  name     = "gpu"
  type     = "hvm"
  firmware = "bios"
  seclabel = "system_u:system_r:domU_t"
  device_model {
    stubdomain = true
    seclabel   = "system_u:system_r:dm_dom_t"
  }
  pci { bdf = "01:00.0" }
}
resource "xen_driver_domain" "empty" {
  name     = "emptydd"
  class    = "network"
  kernel   = "/var/lib/xen/images/vmlinuz"
  seclabel = "system_u:system_r:domU_t"
}
resource "xen_driver_domain" "thief" {
  name     = "thief"
  class    = "network"
  kernel   = "/var/lib/xen/images/vmlinuz"
  seclabel = "system_u:system_r:domU_t"
  pci {
    bdf        = "00:19.0"
    permissive = true
  }
}
# Already held by pciback (stordd has it): brought under Terraform by import, not created.
import {
  to = xen_pci_assignable.sata
  id = "0000:00:1f.2"
}
resource "xen_pci_assignable" "sata" {
  bdf          = "00:1f.2"
  strict_reset = false
}
resource "xen_vif" "odd" {
  domain  = "nolabel"
  backend = "plain"
  bridge  = "xenbr0"
}
`,
      );
      const r = await plan(ws);
      expect(r.diags.every((d) => d.severity === 'Warning')).toBe(true);
      expect(brief(r.diags)).toEqual(
        expect.arrayContaining([
          'Warning flask-unknown-type @ xen_domain.web: seclabel = "system_u:system_r:web_t"',
          'Warning guest-disk-in-dom0 @ xen_domain.web: backend = "Domain-0"',
          'Warning flask-unlabelled-domain @ xen_domain.nolabel: resource "xen_domain" "nolabel" {',
          'Warning stubdomain-passthrough-not-permissive @ xen_domain.gpu: pci { bdf = "01:00.0" }',
          'Warning driver-domain-without-device @ xen_driver_domain.empty: resource "xen_driver_domain" "empty" {',
          'Warning pci-device-shared @ xen_driver_domain.thief: bdf        = "00:19.0"',
          'Warning pci-permissive @ xen_driver_domain.thief: permissive = true',
          'Warning pci-device-without-reset @ xen_pci_assignable.sata: bdf          = "00:1f.2"',
          'Warning backend-not-driver-domain @ xen_vif.odd: backend = "plain"',
        ]),
      );
      for (const d of r.diags) fired.add(d.rule!);
      expect(xlSim(ws, 'list')).toMatch(/stordd/);
    },
    180_000,
  );

  testWithTerraform(
    'IOMMU without interrupt remapping, FLASK permissive',
    async (ws) => {
      ws.writeFile(
        'host.json',
        inventory({
          iommu: 'present',
          flask: { mode: 'permissive', policy_types: ['domU_t', 'nic_dev_t', 'dm_dom_t'] },
        }),
      );
      ws.writeFile('main.tf', PROVIDER_BLOCK() + SECURE);
      const r = await plan(ws);
      expect(brief(r.diags)).toEqual([
        'Warning flask-not-enforcing @ xen_domain.web: seclabel = "system_u:system_r:domU_t"',
        'Warning flask-not-enforcing @ xen_driver_domain.net: seclabel = "system_u:system_r:domU_t"',
        'Warning iommu-without-interrupt-remapping @ xen_driver_domain.net: pci { bdf = xen_pci_assignable.nic.bdf }',
      ]);
      expect(r.code).toBe(0);
      for (const d of r.diags) fired.add(d.rule!);
    },
    180_000,
  );

  testWithTerraform(
    'a compiled FLASK policy planned here, a host without an IOMMU: its use_noiommu grant to domU_t reported on the driver domain given a NIC',
    async (ws) => {
      ws.writeFile('host.json', inventory({ iommu: 'none' }));
      copyFileSync(path.resolve(__dirname, '../fixtures/flask/xenpolicy-4.17'), path.join(ws.dir, 'xenpolicy-4.17'));
      ws.writeFile(
        'main.tf',
        PROVIDER_BLOCK() +
          `
resource "xen_flask_policy" "p" {
  policy_file = "\${abspath(path.module)}/xenpolicy-4.17"
}
` +
          SECURE.replace(
            'seclabel = "system_u:system_r:domU_t"\n  pci {',
            'seclabel = "system_u:system_r:domU_t"\n  depends_on = [xen_flask_policy.p]\n  pci {',
          ),
      );
      const r = await plan(ws);
      expect(brief(r.diags)).toEqual(
        expect.arrayContaining([
          'Warning flask-noiommu-device @ xen_driver_domain.net: seclabel = "system_u:system_r:domU_t"',
        ]),
      );
      expect(r.out.replace(/[│\s]+/g, ' ')).toMatch(/This host has no IOMMU: their DMA is not confined at all/);
      for (const d of r.diags) fired.add(d.rule!);
    },
    180_000,
  );

  testWithTerraform(
    'a Xen booted with iommu=no-quarantine: a warning on each passed-through device',
    async (ws) => {
      ws.writeFile(
        'host.json',
        inventory({ xen_commandline: 'placeholder dom0_mem=2048M,max:2048M iommu=1,no-quarantine flask=enforcing ' }),
      );
      ws.writeFile('main.tf', PROVIDER_BLOCK() + SECURE);
      const r = await plan(ws);
      expect(brief(r.diags)).toEqual([
        'Warning pci-passthrough-without-quarantine @ xen_driver_domain.net: pci { bdf = xen_pci_assignable.nic.bdf }',
      ]);
      expect(r.code).toBe(0);
      for (const d of r.diags) fired.add(d.rule!);
    },
    180_000,
  );

  testWithTerraform(
    'vTPM: an unlabelled manager, a guest on the manager directly, one vTPM for two guests',
    async (ws) => {
      ws.writeFile(
        'host.json',
        inventory({ flask: { mode: 'enforcing', policy_types: [...DEMO_TYPES, 'vtpmmgr_t', 'vtpm_t'] } }),
      );
      ws.writeFile(
        'main.tf',
        PROVIDER_BLOCK('security_policy = "warn"') +
          `
resource "xen_vtpm_manager" "mgr" {
  name        = "vtpmmgr"
  storage     = "/var/lib/xen/vtpm/mgr.img"
  tpm_version = "2.0"
}
resource "xen_vtpm" "one" {
  name     = "one-vtpm"
  manager  = xen_vtpm_manager.mgr.name
  storage  = "/var/lib/xen/vtpm/one.img"
  seclabel = "system_u:system_r:vtpm_t"
}
resource "xen_domain" "a" {
  name     = "a"
  firmware = "pvgrub64"
  seclabel = "system_u:system_r:domU_t"
  vtpm { backend = xen_vtpm.one.name }
}
resource "xen_domain" "b" {
  name     = "b"
  firmware = "pvgrub64"
  seclabel = "system_u:system_r:domU_t"
  vtpm { backend = xen_vtpm.one.name }
}
resource "xen_domain" "direct" {
  name     = "direct"
  firmware = "pvgrub64"
  seclabel = "system_u:system_r:domU_t"
  vtpm { backend = xen_vtpm_manager.mgr.name }
}
`,
      );
      const r = await plan(ws);
      expect(r.code).toBe(0);
      expect(brief(r.diags)).toEqual(
        expect.arrayContaining([
          'Warning vtpm-manager-not-isolated @ xen_vtpm_manager.mgr: resource "xen_vtpm_manager" "mgr" {',
          'Warning vtpm-manager-not-isolated @ xen_domain.direct: vtpm { backend = xen_vtpm_manager.mgr.name }',
        ]),
      );
      // a and b are planned concurrently and in no fixed order: at least the later one sees the other.
      const shared = r.diags.filter((d) => d.rule === 'vtpm-shared').map((d) => d.address);
      expect(shared.length).toBeGreaterThan(0);
      for (const a of shared) expect(['xen_domain.a', 'xen_domain.b']).toContain(a);
      for (const d of r.diags) fired.add(d.rule!);
    },
    180_000,
  );
});
