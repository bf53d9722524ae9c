# Terraform 1.12+ / OpenTofu 1.12+: import an access code by its resource identity.
import {
  to = butterflymx_access_code.manager
  identity = {
    access_code_id = "6b1f0f2e-8c4a-4d7b-9e21-3a5c7d9e0f12"
  }
}
