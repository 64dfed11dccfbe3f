resource "xen_pci_assignable" "nic" {
  bdf      = "03:00.0"
  seclabel = "system_u:object_r:nic_dev_t"
}

# A network driver domain: owns the NIC, runs netback and `xl devd`, serves guest vifs on xenbr0.
resource "xen_driver_domain" "net" {
  name     = "netdd"
  class    = "network"
  memory   = 256
  kernel   = "/var/lib/xen/images/vmlinuz"
  ramdisk  = "/var/lib/xen/images/initrd.img"
  cmdline  = "console=hvc0 iommu=soft"
  seclabel = "system_u:system_r:domU_t"

  pci {
    bdf = xen_pci_assignable.nic.bdf
  }
}
