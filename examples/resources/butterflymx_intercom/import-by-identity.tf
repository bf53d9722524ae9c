# Terraform 1.12+ / OpenTofu 1.12+: import a panel by its resource identity.
import {
  to = butterflymx_intercom.lobby
  identity = {
    device_id = "3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
  }
}
