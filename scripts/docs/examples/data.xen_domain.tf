data "xen_domain" "web" {
  name = "web"
}

output "web_vif_backends" {
  value = data.xen_domain.web.vif_backends
}
