# Terraform 1.12+ / OpenTofu 1.12+: import a webhook by its resource identity.
import {
  to = butterflymx_webhook.all
  identity = {
    id = "2b9f2f6e-7c41-4b1e-9a55-4b8f6e1c0d2a"
  }
}
