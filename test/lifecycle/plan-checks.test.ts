// Host facts checked at plan, with real Terraform on the simulated demo host (16384 MiB, 8 CPUs, five PCI
// functions): each mistake is refused by `terraform plan` with a diagnostic on the attribute, and nothing is created.

import { testWithTerraform } from '../support/terraform';
import type { TerraformWorkspace } from '../support/terraform';
import { domainNames, providerRoot, simHost, sshSimHost } from '../support/sim';
import { sshdForSuite } from '../support/sshd';

const server = sshdForSuite();
import type { SimHost } from '../support/sim';

function hcl(host: SimHost, body: string): string {
  return `${providerRoot(host, { security_policy: '"off"' })}${body}`;
}

const guest = (name: string, extra: string) => `
resource "xen_domain" "${name}" {
  name     = "${name}"
  firmware = "pvgrub64"
${extra}
}
`;

async function plan(tf: TerraformWorkspace, host: SimHost, body: string) {
  tf.writeFile('main.tf', hcl(host, body));
  const r = await tf.run(['plan', '-no-color', '-input=false'], { timeoutMs: 120_000 });
  // Terraform wraps diagnostics at 80 columns: compare with whitespace collapsed.
  return { code: r.code, flat: `${r.stdout}${r.stderr}`.replace(/\s+/g, ' ') };
}

function onlyDom0(host: SimHost): void {
  expect(domainNames(host)).toEqual(['Domain-0']);
}

describe('plan-time checks against the host', () => {
  testWithTerraform(
    'memory above the host, and two domains that together do not fit, are refused at plan',
    async (tf) => {
      const host = simHost();
      const big = await plan(tf, host, guest('big', '  memory = 20000'));
      expect(big.code).toBe(1);
      expect(big.flat).toMatch(
        /Error: More memory than the host has with xen_domain\.big, on main\.tf line \d+, in resource "xen_domain" "big": \d+: memory = 20000/,
      );
      expect(big.flat).toMatch(/the host has 16384 MiB in all/);

      const pair = await plan(tf, host, guest('a', '  memory = 8000') + guest('b', '  memory = 8000'));
      expect(pair.code).toBe(1);
      expect(pair.flat).toMatch(
        /Error: Not enough free memory on the host for this plan with xen_domain\.[ab],.*memory = 8000/,
      );
      expect(pair.flat).toMatch(/the other domains of this plan add 8000 MiB/);

      // Xen booted without dom0_mem=: xl may balloon dom0 down for them, so the same pair is only warned about.
      const ballooning = simHost({
        xen_commandline: 'placeholder dom0_max_vcpus=2 iommu=1 flask=enforcing loglvl=all ',
      });
      const warned = await plan(tf, ballooning, guest('a', '  memory = 8000') + guest('b', '  memory = 8000'));
      expect(warned.flat).toMatch(/Warning: Not enough free memory on the host for this plan/);
      expect(warned.flat).toMatch(/may balloon dom0 down/);
      expect(warned.code).toBe(0);

      // Both fit on their own: the same pair with less memory plans.
      const fits = await plan(tf, host, guest('a', '  memory = 4000') + guest('b', '  memory = 4000'));
      expect(fits.flat).not.toMatch(/Error/);
      expect(fits.code).toBe(0);
      onlyDom0(host);
    },
  );

  testWithTerraform(
    'a pci block naming a function the host lacks names it as lspci -D does, on pci[0].bdf',
    async (tf) => {
      const host = simHost();
      const r = await plan(
        tf,
        host,
        `
resource "xen_driver_domain" "net" {
  name    = "netdd"
  class   = "network"
  memory  = 256
  kernel  = "/var/lib/xen/images/vmlinuz"
  pci {
    bdf = "00:06.0"
  }
}
`,
      );
      expect(r.code).toBe(1);
      expect(r.flat).toMatch(
        /Error: No PCI function 0000:00:06\.0 on this host with xen_driver_domain\.net, on main\.tf line \d+, in resource "xen_driver_domain" "net": \d+: bdf = "00:06\.0"/,
      );
      expect(r.flat).toContain('0000:03:00.0 (class');
      expect(r.flat).not.toContain('0:6:0.0');
      onlyDom0(host);
    },
  );

  testWithTerraform(
    'a read-only IDE disk on an HVM guest (libxl refuses it at create) is refused at plan on disk[0].access',
    async (tf) => {
      const host = simHost();
      const hvm = (access: string) => `
resource "xen_domain" "desk" {
  name   = "desk"
  type   = "hvm"
  memory = 256
  disk {
    target = "/var/lib/xen/images/desk.img"
    vdev   = "hda"
    access = "${access}"
  }
}
`;
      const r = await plan(tf, host, hvm('ro'));
      expect(r.code).toBe(1);
      expect(r.flat).toMatch(
        /Error: Read-only IDE disk on an HVM guest with xen_domain\.desk, on main\.tf line \d+, in resource "xen_domain" "desk": \d+: access = "ro"/,
      );
      expect(r.flat).toMatch(/hda is an emulated IDE disk/);
      expect((await plan(tf, host, hvm('rw'))).flat).not.toMatch(/Read-only IDE disk/);
      onlyDom0(host);
    },
  );

  testWithTerraform(
    'a vif or disk backend that neither runs nor is planned is refused; a planned one is not',
    async (tf) => {
      const host = simHost();
      const r = await plan(
        tf,
        host,
        guest(
          'web',
          `  memory = 256
  disk {
    target  = "/dev/vg0/web"
    vdev    = "xvda"
    backend = "stordd"
  }`,
        ) +
          guest('db', '  memory = 256') +
          `
resource "xen_vif" "db0" {
  domain  = xen_domain.db.name
  backend = "nosuch"
}
`,
      );
      expect(r.code).toBe(1);
      expect(r.flat).toMatch(
        /Error: Backend domain "stordd" does not exist with xen_domain\.web, on main\.tf line \d+, in resource "xen_domain" "web": \d+: backend = "stordd"/,
      );
      expect(r.flat).toMatch(
        /Error: Backend domain "nosuch" does not exist with xen_vif\.db0, on main\.tf line \d+, in resource "xen_vif" "db0": \d+: backend = "nosuch"/,
      );

      const ok = await plan(
        tf,
        host,
        `
resource "xen_driver_domain" "net" {
  name   = "netdd"
  class  = "network"
  memory = 256
  kernel = "/var/lib/xen/images/vmlinuz"
}
` +
          guest('web', '  memory = 256') +
          `
resource "xen_vif" "web0" {
  domain  = xen_domain.web.name
  backend = xen_driver_domain.net.name
}
`,
      );
      expect(ok.flat).not.toMatch(/Error/);
      expect(ok.code).toBe(0);
    },
  );

  testWithTerraform(
    'one function claimed by two xen_pci_assignable: refused at apply before any change when both are new, at plan once one is applied',
    async (tf) => {
      const host = simHost();
      const one = `
resource "xen_pci_assignable" "a" {
  bdf = "03:00.0"
}
`;
      const two =
        one +
        `
resource "xen_pci_assignable" "b" {
  bdf = "0000:03:00.0"
}
`;
      // Both new: Terraform does not say which resource a plan is for, so identical claims are told apart at apply.
      tf.writeFile('main.tf', hcl(host, two));
      const both = await tf.run(['apply', '-auto-approve', '-no-color'], { timeoutMs: 120_000 });
      const flatBoth = `${both.stdout}${both.stderr}`.replace(/\s+/g, ' ');
      expect(both.code).toBe(1);
      expect(flatBoth).toMatch(
        /Error: PCI function 0000:03:00\.0 is claimed twice with xen_pci_assignable\.[ab],.*Refused before any change/,
      );
      expect(flatBoth).toMatch(/Creation complete after \S+ \[id=0000:03:00\.0\]/);
      expect(flatBoth.match(/Creation complete/g)).toHaveLength(1);

      // One in the state, one new: refused at plan.
      const r = await plan(tf, host, two);
      expect(r.code).toBe(1);
      // Whichever of the two Terraform plans second is the one refused, on its bdf.
      expect(r.flat).toMatch(
        /Error: PCI function 0000:03:00\.0 is claimed twice with xen_pci_assignable\.([ab]), on main\.tf line \d+, in resource "xen_pci_assignable" "\1": \d+: bdf = "(0000:)?03:00\.0"/,
      );
    },
    180_000,
  );

  const badFiles = `
resource "xen_domain" "pv" {
  name    = "pv"
  memory  = 256
  kernel  = "/var/lib/xen/images/vmlinuz-missing"
  ramdisk = "/var/lib/xen/images"
}
resource "xen_driver_domain" "net" {
  name   = "netdd"
  class  = "network"
  memory = 256
  kernel = "/var/lib/xen/images/vmlinuz"
  pci {
    bdf = "0000:00:06.0"
  }
}
`;

  for (const where of ['sim', 'ssh'] as const) {
    testWithTerraform(
      `${where}: a kernel that does not exist, a ramdisk that is a directory, a BDF the host lacks: refused at plan`,
      async (tf) => {
        const host = where === 'sim' ? simHost() : sshSimHost(server());
        const r = await plan(tf, host, badFiles);
        expect(r.code).toBe(1);
        expect(r.flat).toMatch(
          /Error: The kernel file does not exist on the host with xen_domain\.pv, on main\.tf line \d+, in resource "xen_domain" "pv": \d+: kernel = "\/var\/lib\/xen\/images\/vmlinuz-missing"/,
        );
        expect(r.flat).toMatch(
          /Error: The ramdisk is not a regular file with xen_domain\.pv,.*ramdisk = "\/var\/lib\/xen\/images" \/var\/lib\/xen\/images is a directory/,
        );
        expect(r.flat).toMatch(/Error: No PCI function 0000:00:06\.0 on this host with xen_driver_domain\.net/);
        // The driver domain's kernel exists: no complaint about it.
        expect(r.flat).not.toMatch(/kernel file does not exist on the host with xen_driver_domain/);
        onlyDom0(host);
      },
      180_000,
    );
  }
});
