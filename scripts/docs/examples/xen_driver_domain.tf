resource "xen_driver_domain" "net" {
  name     = "netdd"
  class    = "network"
  memory   = 256
  kernel   = "/var/lib/xen/images/vmlinuz"
  ramdisk  = "/var/lib/xen/images/initrd.img"
  cmdline  = "console=hvc0"
  seclabel = "system_u:system_r:nic_dev_t"

  pci {
    bdf = xen_pci_assignable.nic.bdf
  }
}
