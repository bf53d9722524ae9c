# Terraform 1.5+ / OpenTofu 1.6+: import a shared access code by its common_code_key.
import {
  to = butterflymx_shared_access_code.resident_4b
  id = "auto_set_by_create_multiple_3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
}
