data "xen_pci_devices" "all" {}

# NICs still driven by dom0.
output "nics_in_dom0" {
  value = [for d in data.xen_pci_devices.all.devices : d.bdf if startswith(d.class, "0x0200") && !d.assignable]
}
