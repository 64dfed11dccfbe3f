terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

# On the dom0: drive its xl. Plan-time weaknesses are errors (enforce).
provider "xen" {
  connection      = "xl:///usr/sbin/xl"
  security_policy = "enforce"
}

# Anywhere else: the embedded simulated host (the built-in demo host), state in ./.xen-sim.
# provider "xen" { connection = "sim://.xen-sim" }
