terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

# From a CI runner or a laptop: real xl on a dom0 reached over ssh (the system OpenSSH client, so ~/.ssh/config,
# ProxyJump and ssh-agent work). The key's authorized_keys line on dom0 forces the restricted dom0 command
# (terraform-provider-xen-dom0), and dom0's host key is pinned: see the "Remote dom0 over ssh" guide.
provider "xen" {
  connection      = "ssh://terraform@dom0.example.com/usr/sbin/xl"
  security_policy = "enforce"
  ssh {
    known_hosts   = "dom0.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIS5nfv69BIppeEJ/r2rVaZSTyQXSf3o3B1Lw0yWEAnj"
    identity_file = "~/.ssh/terraform-xen"
    sudo          = true
  }
}

# On the dom0 itself: drive its xl directly.
# provider "xen" { connection = "xl:///usr/sbin/xl" }

# Anywhere, without Xen: the embedded simulated host (the built-in demo host), state in ./.xen-sim.
# provider "xen" { connection = "sim://.xen-sim" }
