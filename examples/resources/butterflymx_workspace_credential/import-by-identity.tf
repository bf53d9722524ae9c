# Terraform 1.12+ / OpenTofu 1.12+: import the credential by its resource identity.
import {
  to = butterflymx_workspace_credential.butterfly
  identity = {
    name = "BUTTERFLY_API_TOKEN"
  }
}
