# The guest's NIC, served by the network driver domain: its traffic never crosses dom0.
resource "xen_vif" "web0" {
  domain  = xen_domain.web.name
  backend = xen_driver_domain.net.name
  bridge  = "xenbr0"

  lifecycle {
    # A re-created driver domain comes back without its backends: re-attach in the same apply.
    replace_triggered_by = [xen_driver_domain.net.uuid]
  }
}
