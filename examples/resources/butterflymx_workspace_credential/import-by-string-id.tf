# Terraform 1.5+ / OpenTofu 1.6+: import the credential by its name.
import {
  to = butterflymx_workspace_credential.butterfly
  id = "BUTTERFLY_API_TOKEN"
}
