# An HVM guest whose device model (Debian's qemu-system-xen) runs as a dom0 process, on the lab's real Xen: its only
# disk is a 1 MiB image whose boot sector writes a marker to Xen's debug port 0xe9 (test/xen/hvm.ts), so the harness
# sees in `xl dmesg` that firmware and device model got as far as booting it. The posture must warn about QEMU in
# dom0. Run by test/xen/hvm.ts when XEN_TEST_HVM=1, with dom0 reached over ssh like the seed.
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

variable "boot_image" {
  type    = string
  default = "/var/lib/xen-test-hvm/boot.img"
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
  # The boot sector halts with interrupts on and never answers a shutdown request: a short graceful wait, then destroy.
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
    target = var.boot_image
    # hda: the emulated IDE disk SeaBIOS boots from. qemu-xen refuses a read-only IDE disk, hence rw.
    vdev = "hda"
    # QEMU serves the image itself: with the default backend the block hotplug script (a loop device) ran instead,
    # and SeaBIOS could not read the disk in the lab.
    backendtype = "qdisk"
  }
}
