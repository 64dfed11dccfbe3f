terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

# On a dom0: drive the real toolstack.
# provider "xen" {
#   connection      = "xl:///usr/sbin/xl"
#   hotplug_timeout = "60s"
#   security_policy = "enforce"
# }

# In CI or on a laptop: the embedded simulated host, state kept in ./.xen-sim.
provider "xen" {
  connection = "sim://.xen-sim"
}
