# Terraform 1.5+ / OpenTofu 1.6+: import a webhook by its Seam id.
import {
  to = butterflymx_webhook.all
  id = "2b9f2f6e-7c41-4b1e-9a55-4b8f6e1c0d2a"
}
