# Terraform 1.12+ / OpenTofu 1.12+: import a shared access code by its resource identity.
import {
  to = butterflymx_shared_access_code.resident_4b
  identity = {
    common_code_key = "auto_set_by_create_multiple_3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
  }
}
