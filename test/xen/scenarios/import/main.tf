# Adopting a domain created by hand with `xl create` (../../dom0/handmade.cfg): after `terraform import` the plan
# must be empty, i.e. the provider reads back exactly what this configuration says.
terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

provider "xen" {
  connection = "xl:///usr/sbin/xl"
}

resource "xen_domain" "handmade" {
  name    = "handmade"
  memory  = 128
  vcpus   = 1
  kernel  = "/boot/vmlinuz"
  ramdisk = "/boot/guest.cpio.gz"
  cmdline = "console=hvc0 xenlab.role=client"
}
