# Load the compiled FLASK policy and enforce it; a change of the file reloads it.
resource "xen_flask_policy" "this" {
  policy_file = "/boot/xenpolicy-4.17"
  enforcing   = true
}
