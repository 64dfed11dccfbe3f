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
