# Labels from the domain type alone: "system_u:system_r:isolated_domU_t".
resource "xen_domain" "vault" {
  name     = "vault"
  memory   = 512
  firmware = "pvgrub64"
  seclabel = provider::xen::seclabel("isolated_domU_t")
}
