data "xen_pci_devices" "all" {}

# NICs that dom0 still drives: candidates for a network driver domain.
output "nics_in_dom0" {
  value = [for d in data.xen_pci_devices.all.devices : d.bdf if startswith(d.class, "0x02") && !d.assignable]
}
