# Stable MACs for a guest's vifs: the same seed gives the same address whenever a vif is re-created.
output "web_macs" {
  value = [for i in range(2) : provider::xen::mac("web/${i}")]
}
