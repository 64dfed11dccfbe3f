# Full FLASK contexts from domain types.
output "labels" {
  value = { for t in ["domU_t", "isolated_domU_t", "dm_dom_t"] : t => provider::xen::seclabel(t) }
}
