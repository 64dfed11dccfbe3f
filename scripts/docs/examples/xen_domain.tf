# A PV guest booting with PV-GRUB inside itself (no pygrub in dom0), with its own vTPM from its first instruction.
resource "xen_domain" "web" {
  name     = "web"
  memory   = 512
  firmware = "pvgrub64"
  seclabel = provider::xen::seclabel("domU_t")

  disk {
    target  = "/dev/vg0/web"
    vdev    = "xvda"
    backend = xen_driver_domain.storage.name
  }

  vtpm {
    backend = xen_vtpm.web.name
  }

  lifecycle {
    # A re-created vTPM has not seen this guest boot: boot the guest again with it.
    replace_triggered_by = [xen_vtpm.web.id]
  }
}

# The VNC password is write-only (Terraform >= 1.11): from an ephemeral variable it is in no plan or state file.
variable "win_vnc_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

# An HVM guest whose device model runs in a labelled stub domain `win-dm`, not in dom0.
resource "xen_domain" "win" {
  name     = "win"
  type     = "hvm"
  memory   = 1024
  seclabel = provider::xen::seclabel("domU_t")

  device_model {
    stubdomain = true
    seclabel   = provider::xen::seclabel("dm_dom_t")
  }

  vnc {
    listen              = "127.0.0.1"
    password_wo         = var.win_vnc_password
    password_wo_version = 1 # bump to apply a new password (replaces the domain)
  }
}
