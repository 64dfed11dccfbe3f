resource "xen_pci_assignable" "sata" {
  bdf          = "00:1f.2"
  strict_reset = false
}

# A storage driver domain owns the disk controller and serves block backends.
resource "xen_driver_domain" "storage" {
  name    = "stordd"
  class   = "storage"
  kernel  = "/var/lib/xen/images/vmlinuz"
  ramdisk = "/var/lib/xen/images/initrd.img"
  cmdline = "console=hvc0 iommu=soft"

  pci {
    bdf = xen_pci_assignable.sata.bdf
  }
}

resource "xen_disk" "data" {
  domain  = xen_domain.web.name
  backend = xen_driver_domain.storage.name
  target  = "/dev/vg0/web-data"
  vdev    = "xvdb"
}
