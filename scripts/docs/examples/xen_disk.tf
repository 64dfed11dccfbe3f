# A data disk hot-attached to a running guest, served by the storage driver domain.
resource "xen_disk" "data" {
  domain  = xen_domain.web.name
  backend = xen_driver_domain.storage.name
  target  = "/dev/vg0/web-data"
  vdev    = "xvdb"
}
