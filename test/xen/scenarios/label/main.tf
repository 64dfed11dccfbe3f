# A FLASK label on the lab's Xen, which has no XSM: refused with an explanation under security_policy = "enforce",
# accepted (and ignored by libxl) under "off".
terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

variable "policy" {
  type    = string
  default = "enforce"
}

provider "xen" {
  connection      = "xl:///usr/sbin/xl"
  security_policy = var.policy
}

resource "xen_domain" "labelled" {
  name     = "labelled"
  memory   = 128
  vcpus    = 1
  kernel   = "/boot/vmlinuz"
  ramdisk  = "/boot/guest.cpio.gz"
  cmdline  = "console=hvc0 xenlab.role=client"
  seclabel = "system_u:system_r:domU_t"
}
