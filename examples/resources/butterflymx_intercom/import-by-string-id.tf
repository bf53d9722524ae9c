# Terraform 1.5+ / OpenTofu 1.6+: import a panel by its Seam device id.
import {
  to = butterflymx_intercom.lobby
  id = "3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
}
