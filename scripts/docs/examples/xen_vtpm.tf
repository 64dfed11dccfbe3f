# One vTPM per guest, connected to the manager; the guest names it in its vtpm block (see xen_domain).
resource "xen_vtpm" "web" {
  name     = "web-vtpm"
  manager  = xen_vtpm_manager.mgr.name
  storage  = "/var/lib/xen/vtpm/web.img"
  seclabel = provider::xen::seclabel("vtpm_t")
}
