# A deliberately weak Xen host, to see what the security posture checks say before anything changes:
#
#   terraform init && terraform plan
#
# The host (host.json, a simulated host) has no IOMMU and no XSM/FLASK; its I350 NIC is bound to pciback, ready for
# a network driver domain that does not exist. The plan reports (docs/guides/security-posture.md):
#   - pci-passthrough-without-iommu (error): the GPU passed through to "desktop" could DMA anywhere
#   - hvm-device-model-in-dom0: "desktop" is HVM with QEMU in dom0
#   - bootloader-in-dom0: "legacy" boots with pygrub, which parses its disk in dom0
#   - guest-network-in-dom0: the vif of "web" is bridged in dom0 although the NIC could go to a driver domain
# examples/hcl (the secure host) is the same kind of setup with none of these.

terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

provider "xen" {
  connection = "sim://.xen-sim"
  inventory  = "host.json"
}

resource "xen_domain" "web" {
  name     = "web"
  memory   = 512
  firmware = "pvgrub64"
}

# dom0 bridges the guest's traffic.
resource "xen_vif" "web0" {
  domain  = xen_domain.web.name
  backend = "Domain-0"
  bridge  = "xenbr0"
}

# pygrub runs in dom0 and parses the guest's disk there.
resource "xen_domain" "legacy" {
  name       = "legacy"
  memory     = 512
  bootloader = "pygrub"
  disk {
    target = "/var/lib/xen/images/legacy.img"
    vdev   = "xvda"
  }
}

# HVM with its device model in dom0, and a GPU passed through on a host without an IOMMU.
resource "xen_domain" "desktop" {
  name     = "desktop"
  type     = "hvm"
  memory   = 2048
  firmware = "bios"
  pci { bdf = "01:00.0" }
}
