data "xen_host" "this" {}

output "iommu" {
  value = data.xen_host.this.iommu
}
