# The FLASK scenario on the lab's Xen with XSM/FLASK (FLASK=1), dom0 reached over ssh through the restricted command:
# Xen's example policy loaded and enforcing, a network driver domain labelled with a domain type (domU_t) owning the
# e1000 labelled with a device type (nic_dev_t, set by flask-label-pci before it is made assignable), and a client
# (domU_t) whose vif it serves. The policy is Xen's example policy with the two rules the quarantine needs (dom0_t
# moves devices in and out of domio_t, which may map nic_dev_t): without them `xl pci-assignable-add` fails, with or
# without iommu=no-quarantine (docs/guides/flask.md).
terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

variable "connection" {
  type = string
}

variable "known_hosts" {
  type    = string
  default = null
}

variable "identity_file" {
  type    = string
  default = null
}

variable "enforcing" {
  type    = bool
  default = true
}

# A device type used as a domain's label: the plan must refuse it on seclabel, with nothing created.
variable "bad_label" {
  type    = bool
  default = false
}

provider "xen" {
  connection = var.connection
  ssh {
    known_hosts   = var.known_hosts
    identity_file = var.identity_file
  }
  hotplug_timeout  = "240s"
  shutdown_timeout = "3s"
  xl_timeout       = "120s"
}

resource "xen_flask_policy" "policy" {
  policy_file = "/boot/xenpolicy-4.17-quarantine"
  enforcing   = var.enforcing
}

resource "xen_pci_assignable" "nic" {
  bdf          = "0000:00:05.0"
  strict_reset = false
  seclabel     = "system_u:object_r:nic_dev_t"
  # Loading a policy drops labels set with flask-label-pci: label after the policy is in.
  depends_on = [xen_flask_policy.policy]
}

resource "xen_driver_domain" "net" {
  name     = "netdd"
  class    = "network"
  memory   = 384
  vcpus    = 1
  kernel   = "/boot/vmlinuz"
  ramdisk  = "/boot/guest.cpio.gz"
  cmdline  = "console=hvc0 xenlab.role=driver iommu=soft"
  seclabel = "system_u:system_r:domU_t"
  pci {
    bdf = xen_pci_assignable.nic.bdf
  }
}

resource "xen_domain" "client" {
  name     = "client"
  memory   = 256
  vcpus    = 1
  kernel   = "/boot/vmlinuz"
  ramdisk  = "/boot/guest.cpio.gz"
  cmdline  = "console=hvc0 xenlab.role=client"
  seclabel = "system_u:system_r:domU_t"
  depends_on = [xen_flask_policy.policy]
}

resource "xen_vif" "client0" {
  domain  = xen_domain.client.name
  backend = xen_driver_domain.net.name
  mac     = "00:16:3e:00:00:01"
  bridge  = "xenbr0"
}

resource "xen_domain" "bad" {
  count    = var.bad_label ? 1 : 0
  name     = "badlabel"
  memory   = 64
  vcpus    = 1
  kernel   = "/boot/vmlinuz"
  ramdisk  = "/boot/guest.cpio.gz"
  cmdline  = "console=hvc0 xenlab.role=client"
  seclabel = "system_u:system_r:nic_dev_t"
}
