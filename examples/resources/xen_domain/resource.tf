# A PV guest booted by PV-GRUB inside the guest (no pygrub in dom0), with a FLASK label.
resource "xen_domain" "web" {
  name     = "web"
  memory   = 512
  maxmem   = 1024
  vcpus    = 2
  firmware = "pvgrub64"
  seclabel = "system_u:system_r:domU_t"
}

# An HVM guest whose QEMU runs in its own labelled stub domain (web-dm), not in dom0.
resource "xen_domain" "desktop" {
  name     = "desktop"
  type     = "hvm"
  memory   = 2048
  seclabel = "system_u:system_r:domU_t"

  device_model {
    stubdomain = true
    seclabel   = "system_u:system_r:dm_dom_t"
  }
}
