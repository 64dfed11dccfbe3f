# The secure host of examples/secure-host (cdktf) in plain Terraform: a network driver domain owning the I350 NIC,
# a storage driver domain owning the AHCI controller, a PV guest booting with PV-GRUB and an HVM guest whose device
# model runs in a labelled stub domain, all under an enforcing FLASK policy, with the posture as an output.
# Which host: var.connection, else XEN_CONNECTION (the provider refuses to plan with neither): "sim://DIR" for the
# embedded simulated host, "ssh://terraform@dom0.example.com/usr/sbin/xl" for a real dom0 over ssh (add an ssh block
# with its pinned host key, docs/guides/remote-dom0.md), "xl:///usr/sbin/xl" when Terraform runs in dom0.

terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

variable "policy_file" {
  description = "Compiled FLASK policy in dom0 (e.g. /boot/xenpolicy-4.17). Empty: the simulated host's example policy."
  type        = string
  default     = ""
}

locals {
  policy_file = var.policy_file != "" ? var.policy_file : abspath("${path.module}/../../secure-host/policy/xenpolicy-4.17")
}

variable "connection" {
  description = "The Xen host: sim://DIR, ssh://USER@HOST/usr/sbin/xl or xl:///usr/sbin/xl. Null: XEN_CONNECTION."
  type        = string
  default     = null
}

provider "xen" {
  connection      = var.connection
  security_policy = "enforce"
}

resource "xen_flask_policy" "policy" {
  policy_file = local.policy_file
  enforcing   = true
}

data "xen_host" "this" {}

# --- network driver domain -------------------------------------------------------------------------------------

resource "xen_pci_assignable" "nic" {
  bdf = "03:00.0"
  # A device type: Xen's example policy lets domU_t (the driver domain's label) use devices labelled nic_dev_t.
  seclabel = "system_u:object_r:nic_dev_t"
}

resource "xen_driver_domain" "net" {
  name     = "netdd"
  class    = "network"
  memory   = 256
  vcpus    = 1
  kernel   = "/var/lib/xen/images/vmlinuz"
  ramdisk  = "/var/lib/xen/images/initrd.img"
  cmdline  = "console=hvc0"
  seclabel = "system_u:system_r:domU_t"

  pci {
    bdf        = xen_pci_assignable.nic.bdf
    permissive = false
  }

  depends_on = [xen_flask_policy.policy]
}

# --- storage driver domain -------------------------------------------------------------------------------------

resource "xen_pci_assignable" "ahci" {
  bdf = "00:1f.2"
  # The AHCI function has no reset method: accepting that is a visible, deliberate choice.
  strict_reset = false
}

resource "xen_driver_domain" "storage" {
  name     = "stordd"
  class    = "storage"
  memory   = 256
  vcpus    = 1
  kernel   = "/var/lib/xen/images/vmlinuz"
  ramdisk  = "/var/lib/xen/images/initrd.img"
  cmdline  = "console=hvc0"
  seclabel = "system_u:system_r:domU_t"

  pci {
    bdf        = xen_pci_assignable.ahci.bdf
    permissive = false
  }

  depends_on = [xen_flask_policy.policy]
}

# --- guests ------------------------------------------------------------------------------------------------------

resource "xen_domain" "web" {
  name     = "web"
  type     = "pv"
  memory   = 512
  vcpus    = 1
  firmware = "pvgrub64"
  seclabel = "system_u:system_r:domU_t"

  disk {
    target  = "/dev/vg0/web"
    vdev    = "xvda"
    format  = "raw"
    access  = "rw"
    backend = xen_driver_domain.storage.name
  }

  depends_on = [xen_flask_policy.policy]
  lifecycle {
    replace_triggered_by = [xen_driver_domain.storage.uuid]
  }
}

resource "xen_domain" "win" {
  name     = "win"
  type     = "hvm"
  memory   = 1024
  vcpus    = 1
  seclabel = "system_u:system_r:domU_t"

  device_model {
    stubdomain = true
    seclabel   = "system_u:system_r:dm_dom_t"
  }

  disk {
    target  = "/dev/vg0/win"
    vdev    = "hda"
    format  = "raw"
    access  = "rw"
    backend = xen_driver_domain.storage.name
  }

  depends_on = [xen_flask_policy.policy]
  lifecycle {
    replace_triggered_by = [xen_driver_domain.storage.uuid]
  }
}

resource "xen_vif" "web0" {
  domain  = xen_domain.web.name
  backend = xen_driver_domain.net.name
  bridge  = "xenbr0"

  lifecycle {
    replace_triggered_by = [xen_domain.web.uuid, xen_driver_domain.net.uuid]
  }
}

resource "xen_vif" "win0" {
  domain  = xen_domain.win.name
  backend = xen_driver_domain.net.name
  bridge  = "xenbr0"
  model   = "e1000"

  lifecycle {
    replace_triggered_by = [xen_domain.win.uuid, xen_driver_domain.net.uuid]
  }
}

# --- posture -----------------------------------------------------------------------------------------------------

data "xen_security_posture" "host" {
  depends_on = [xen_flask_policy.policy, xen_driver_domain.net, xen_driver_domain.storage, xen_domain.web, xen_domain.win, xen_vif.web0, xen_vif.win0]
}

output "posture" {
  value = {
    host = {
      xen_version         = data.xen_host.this.xen_version
      iommu               = data.xen_host.this.iommu
      interrupt_remapping = data.xen_host.this.interrupt_remapping
      flask_mode          = data.xen_host.this.flask_mode
    }
    flask = { mode = xen_flask_policy.policy.mode, sha256 = xen_flask_policy.policy.sha256 }
    driver_domains = {
      network = { name = xen_driver_domain.net.name, state = xen_driver_domain.net.state, pci = [xen_pci_assignable.nic.id] }
      storage = { name = xen_driver_domain.storage.name, state = xen_driver_domain.storage.state, pci = [xen_pci_assignable.ahci.id] }
    }
    guests = {
      web = { state = xen_domain.web.state, vif_backends = [xen_vif.web0.backend], disk_backends = [for d in xen_domain.web.disk : d.backend] }
      win = { state = xen_domain.win.state, stubdomain_domid = xen_domain.win.stubdomain_domid, vif_backends = [xen_vif.win0.backend], disk_backends = [for d in xen_domain.win.disk : d.backend] }
    }
    errors   = data.xen_security_posture.host.errors
    warnings = data.xen_security_posture.host.warnings
    findings = data.xen_security_posture.host.findings
    tcb      = data.xen_security_posture.host.tcb
  }
}
