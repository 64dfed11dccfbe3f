# A guest with its own virtual TPM, an HVM desktop whose VNC password never reaches a plan or state file, and the
# provider's functions doing the spelling. On the simulated host (host.json: the demo host with a TPM 2.0 and a
# FLASK policy module defining vtpmmgr_t and vtpm_t):
#
#   TF_VAR_desk_vnc_password=... terraform apply
#
# On a real dom0 (connection = "xl:///usr/sbin/xl") this needs what Debian does not ship: vtpmmgr-stubdom.gz and
# vtpm-stubdom.gz built from Xen's stubdom/, a FLASK policy with the vTPM types, dom0 not driving the TPM, and the
# image files below created once (dd if=/dev/zero of=FILE bs=2M count=1). See docs/guides/virtual-tpm.md.

terraform {
  required_version = ">= 1.11" # write-only attributes; provider functions need 1.8
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

variable "desk_vnc_password" {
  description = "VNC password of the desk guest: at most 8 characters count (VNC authentication)."
  type        = string
  sensitive   = true
  # Ephemeral (Terraform >= 1.10): Terraform keeps it out of plan files; it may only go to write-only attributes.
  ephemeral = true
}

provider "xen" {
  connection      = "sim://.xen-sim"
  inventory       = "host.json"
  hotplug_timeout = "10s"
}

# The manager owns the TPM (locality 2) and seals each vTPM's keys; it runs for the host's lifetime.
resource "xen_vtpm_manager" "mgr" {
  name        = "vtpmmgr"
  storage     = "/var/lib/xen/vtpm/vtpmmgr.img"
  tpm_version = "2.0"
  seclabel    = provider::xen::seclabel("vtpmmgr_t")
  autostart   = true
}

resource "xen_vtpm" "web" {
  name     = "web-vtpm"
  manager  = xen_vtpm_manager.mgr.name
  storage  = "/var/lib/xen/vtpm/web.img"
  seclabel = provider::xen::seclabel("vtpm_t")
}

resource "xen_pci_assignable" "nic" {
  bdf = provider::xen::bdf("3:0.0")
}

resource "xen_driver_domain" "net" {
  name     = "netdd"
  class    = "network"
  kernel   = "/var/lib/xen/images/vmlinuz"
  ramdisk  = "/var/lib/xen/images/initrd.img"
  cmdline  = "console=hvc0 iommu=soft"
  seclabel = provider::xen::seclabel("domU_t")

  pci {
    bdf = xen_pci_assignable.nic.bdf
  }
}

# PV-GRUB measures the kernel it boots into the vTPM (PCRs 4 and 5): the vTPM is there from the guest's first instruction.
resource "xen_domain" "web" {
  name     = "web"
  memory   = 512
  firmware = "pvgrub64"
  seclabel = provider::xen::seclabel("domU_t")

  vtpm {
    backend = xen_vtpm.web.name
  }

  lifecycle {
    # A re-created vTPM has not seen this guest boot: boot the guest again with it, in the same apply.
    replace_triggered_by = [xen_vtpm.web.id]
  }
}

resource "xen_vif" "web0" {
  domain  = xen_domain.web.name
  backend = xen_driver_domain.net.name
  mac     = provider::xen::mac("web/0") # the same address whenever the vif is re-created
  bridge  = "xenbr0"

  lifecycle {
    # Re-attach in the same apply when either end is re-created (a new guest, or a driver domain restarted).
    replace_triggered_by = [xen_domain.web.uuid, xen_driver_domain.net.uuid]
  }
}

resource "xen_domain" "desk" {
  name     = "desk"
  type     = "hvm"
  memory   = 1024
  seclabel = provider::xen::seclabel("domU_t")

  device_model {
    stubdomain = true
    seclabel   = provider::xen::seclabel("dm_dom_t")
  }

  vnc {
    listen              = "127.0.0.1"
    password_wo         = var.desk_vnc_password
    password_wo_version = 1 # bump to apply a new password (replaces the domain)
  }
}

data "xen_security_posture" "host" {
  depends_on = [xen_domain.web, xen_domain.desk, xen_vif.web0]
}

output "web_tcb" {
  description = "Every domain the web guest has to trust: its vTPM and the vTPM manager among them (tcb also says why)."
  value       = [for e in data.xen_security_posture.host.tcb["web"] : e.domain]
}

output "findings" {
  value = data.xen_security_posture.host.findings
}
