# A second NIC whose MAC survives re-creating the vif (e.g. after the driver domain restarts): same seed, same address.
resource "xen_vif" "web1" {
  domain  = xen_domain.web.name
  backend = xen_driver_domain.net.name
  mac     = provider::xen::mac("${xen_domain.web.name}/1")
  bridge  = "xenbr0"
}
