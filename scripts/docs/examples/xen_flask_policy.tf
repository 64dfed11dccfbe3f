resource "xen_flask_policy" "policy" {
  policy_file = "/boot/xenpolicy-4.17"
  enforcing   = true
}
