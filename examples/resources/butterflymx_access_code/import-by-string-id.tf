# Terraform 1.5+ / OpenTofu 1.6+: import an access code by its Seam access code id.
import {
  to = butterflymx_access_code.manager
  id = "6b1f0f2e-8c4a-4d7b-9e21-3a5c7d9e0f12"
}
