# Hide the I350 NIC from dom0's igb driver so a driver domain can own it.
resource "xen_pci_assignable" "nic" {
  bdf = "03:00.0"
}
