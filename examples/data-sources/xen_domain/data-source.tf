data "xen_domain" "dom0" {
  name = "Domain-0"
}

output "dom0_memory" {
  value = data.xen_domain.dom0.memory
}
