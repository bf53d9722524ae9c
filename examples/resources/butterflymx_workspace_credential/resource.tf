# Load the ButterflyMX partner token into the Seam workspace vault. With no
# value_wo, the provider's butterfly_api_token (or the BUTTERFLY_API_TOKEN
# environment variable) is sent. The token never reaches the state.
resource "butterflymx_workspace_credential" "butterfly" {
  # Bump after rotating the token, to send it again.
  value_wo_version = 1
}

# Or pass the token explicitly, from an ephemeral source (Terraform 1.11+ /
# OpenTofu 1.11+): an ephemeral variable never lands in a plan or state file.
variable "butterfly_api_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "butterflymx_workspace_credential" "explicit" {
  name             = "BUTTERFLY_API_TOKEN"
  value_wo         = var.butterfly_api_token
  value_wo_version = 3
}
