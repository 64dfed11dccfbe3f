# The vTPM manager: owns the host's TPM 2.0 at locality 2 and seals every vTPM's keys with it.
# Needs vtpmmgr-stubdom.gz (built from Xen's stubdom/), a FLASK type of its own, and dom0 not driving the TPM.
resource "xen_vtpm_manager" "mgr" {
  name        = "vtpmmgr"
  storage     = "/var/lib/xen/vtpm/vtpmmgr.img"
  tpm_version = "2.0"
  seclabel    = provider::xen::seclabel("vtpmmgr_t")
  autostart   = true
}
