data "xen_security_posture" "host" {
  # Read after the domains are applied, so it reports the result.
  depends_on = [xen_domain.web, xen_vif.web0]
}

output "posture" {
  value = {
    errors   = data.xen_security_posture.host.errors
    findings = data.xen_security_posture.host.findings
    tcb      = data.xen_security_posture.host.tcb
  }
}
