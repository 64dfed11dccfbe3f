# Beside the seed: a domain created by hand with `xl create` (../../dom0/handmade.cfg) adopted with
# `terraform import` (the plan must then be empty), and a FLASK label on the lab's Xen, which has no XSM: refused
# with an explanation under security_policy = "enforce", accepted (and ignored by libxl) under "off".
terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

variable "policy" {
  type    = string
  default = "enforce"
}

variable "with_label" {
  type    = bool
  default = false
}

provider "xen" {
  connection      = "xl:///usr/sbin/xl"
  security_policy = var.policy
  # The lab's busybox guests ignore a shutdown request: the graceful path (xl shutdown -w, then xl destroy) still
  # runs, with a short wait.
  shutdown_timeout = "3s"
  # dom0 runs under QEMU TCG on a shared 2-core machine: one xl call has taken over 30 s there when the machine was
  # busy (xl pci-assignable-list, in a destroy); xl_timeout is the setting for a slow dom0.
  xl_timeout = "120s"
}

resource "xen_domain" "handmade" {
  name    = "handmade"
  memory  = 128
  vcpus   = 1
  kernel  = "/boot/vmlinuz"
  ramdisk = "/boot/guest.cpio.gz"
  cmdline = "console=hvc0 xenlab.role=client"
}

resource "xen_domain" "labelled" {
  count    = var.with_label ? 1 : 0
  name     = "labelled"
  memory   = 128
  vcpus    = 1
  kernel   = "/boot/vmlinuz"
  ramdisk  = "/boot/guest.cpio.gz"
  cmdline  = "console=hvc0 xenlab.role=client"
  seclabel = "system_u:system_r:domU_t"
}

# The data sources on real Xen, read by every plan of this directory while the seed runs beside it: a postcondition
# that does not hold fails that plan.
data "xen_host" "this" {
  lifecycle {
    postcondition {
      condition     = startswith(self.xen_version, "4.17.") && self.iommu && self.interrupt_remapping == true && self.flask_mode == "disabled" && self.nr_cpus == 2
      error_message = "xen_host does not describe the lab: Xen 4.17, IOMMU with interrupt remapping, no XSM, 2 CPUs."
    }
  }
}

data "xen_pci_devices" "all" {
  lifecycle {
    postcondition {
      condition = anytrue([for d in self.devices : d.bdf == "0000:00:05.0" && d.vendor == "0x8086" && d.class == "0x020000" && d.assignable && d.assigned_to == "netdd"])
      error_message = "xen_pci_devices does not show the e1000 (0000:00:05.0) as assignable and passed through to netdd."
    }
  }
}

data "xen_domain" "client" {
  name = "client"
  lifecycle {
    postcondition {
      condition     = self.type == "pv" && self.driver_domain == false && length(self.vif_backends) == 1 && self.vif_backends[0] == "netdd" && self.kernel == "/boot/vmlinuz"
      error_message = "xen_domain does not describe the seed's client: PV, not a driver domain, its vif served by netdd."
    }
  }
}

data "xen_security_posture" "host" {
  lifecycle {
    postcondition {
      # The e1000 has no reset method (the seed accepts it knowingly); the client's vif is served by a driver domain.
      condition     = contains([for f in self.findings : f.rule], "pci-device-without-reset") && !contains([for f in self.findings : f.rule], "guest-network-in-dom0")
      error_message = "xen_security_posture does not report the lab's facts: the e1000 without reset, and no guest network in dom0."
    }
  }
}
