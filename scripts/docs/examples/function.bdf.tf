# PCI addresses as people write them, in the one form sysfs and this provider's ids use.
locals {
  passthrough = ["3:0.0", "00:19.0"]
}

output "passthrough_bdfs" {
  value = [for a in local.passthrough : provider::xen::bdf(a)] # ["0000:03:00.0", "0000:00:19.0"]
}
