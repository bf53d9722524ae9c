# Terraform 1.12+ / OpenTofu 1.12+: import a connected account by its resource identity.
import {
  to = butterflymx_connected_account.harbor_view
  identity = {
    connected_account_id = "0b6f7a8e-3c1d-4e2f-8a9b-5c6d7e8f9a0b"
  }
}
