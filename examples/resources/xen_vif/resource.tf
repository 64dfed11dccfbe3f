# The guest's network interface is served by the network driver domain, not by dom0.
resource "xen_vif" "web0" {
  domain  = xen_domain.web.name
  backend = xen_driver_domain.net.name
  mac     = provider::xen::mac("web/0") # stable: the same address whenever the vif is re-created
  bridge  = "xenbr0"
  rate    = "100Mb/s"
}
