# An HVM guest whose device model (Debian's qemu-system-xen) runs as a dom0 process, on the lab's real Xen, booting a
# one-sector disk served by dom0: the harness (test/xen/hvm.ts) puts the image there, checks that the boot sector ran
# (its line on Xen's debug port) and that the posture warns about QEMU in dom0. dom0 is reached over ssh like the seed.
terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

variable "connection" {
  type    = string
  default = "xl:///usr/sbin/xl"
}

variable "known_hosts" {
  type    = string
  default = null
}

variable "identity_file" {
  type    = string
  default = null
}

provider "xen" {
  connection = var.connection
  dynamic "ssh" {
    for_each = startswith(var.connection, "ssh://") ? [1] : []
    content {
      known_hosts   = var.known_hosts
      identity_file = var.identity_file
    }
  }
  # SeaBIOS never answers a shutdown request: a short graceful wait, then destroy.
  shutdown_timeout = "3s"
  # dom0 runs under QEMU TCG on a shared 2-core machine, and an HVM create also starts QEMU there.
  xl_timeout = "180s"
}

resource "xen_domain" "hvm" {
  name   = "hvm"
  type   = "hvm"
  memory = 64
  vcpus  = 1

  disk {
    target = "/var/lib/xen/images/hvm-boot.img"
    vdev   = "hda"
  }
}
