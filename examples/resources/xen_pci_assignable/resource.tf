# Hide the I350 NIC from dom0's igb driver so it can be passed through to a driver domain.
resource "xen_pci_assignable" "nic" {
  bdf = "0000:03:00.0"
}

# A function without FLR or bus reset is refused unless you accept the risk explicitly.
resource "xen_pci_assignable" "sata" {
  bdf          = "00:1f.2"
  strict_reset = false
}
