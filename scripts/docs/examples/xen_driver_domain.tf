resource "xen_driver_domain" "net" {
  name     = "netdd"
  class    = "network"
  memory   = 256
  kernel   = "/var/lib/xen/images/vmlinuz"
  ramdisk  = "/var/lib/xen/images/initrd.img"
  cmdline  = "console=hvc0"
  seclabel = "system_u:system_r:domU_t"

  pci {
    bdf = xen_pci_assignable.nic.bdf
  }
}

# A storage driver domain owning the AHCI controller (which has no reset method: strict_reset = false on its
# xen_pci_assignable is a deliberate choice).
resource "xen_pci_assignable" "ahci" {
  bdf          = "00:1f.2"
  strict_reset = false
}

resource "xen_driver_domain" "storage" {
  name     = "stordd"
  class    = "storage"
  memory   = 256
  kernel   = "/var/lib/xen/images/vmlinuz"
  ramdisk  = "/var/lib/xen/images/initrd.img"
  seclabel = "system_u:system_r:domU_t"

  pci {
    bdf = xen_pci_assignable.ahci.bdf
  }
}
