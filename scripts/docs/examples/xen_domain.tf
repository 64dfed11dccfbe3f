# A PV guest booting with PV-GRUB inside itself (no pygrub in dom0).
resource "xen_domain" "web" {
  name     = "web"
  memory   = 512
  firmware = "pvgrub64"
  seclabel = "system_u:system_r:domU_t"

  disk {
    target  = "/dev/vg0/web"
    vdev    = "xvda"
    backend = xen_driver_domain.storage.name
  }
}

# An HVM guest whose device model runs in a labelled stub domain `win-dm`, not in dom0.
resource "xen_domain" "win" {
  name     = "win"
  type     = "hvm"
  memory   = 1024
  seclabel = "system_u:system_r:domU_t"

  device_model {
    stubdomain = true
    seclabel   = "system_u:system_r:dm_dom_t"
  }
}
