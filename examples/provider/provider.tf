# Credentials are best left to the environment: SEAM_API_KEY (or
# SEAM_PERSONAL_ACCESS_TOKEN and SEAM_WORKSPACE_ID) and BUTTERFLY_API_TOKEN.
provider "butterflymx" {}

# Or explicitly, for example with a personal access token:
provider "butterflymx" {
  alias                 = "pat"
  personal_access_token = var.seam_personal_access_token
  workspace_id          = var.seam_workspace_id
  max_retries           = 8
  request_timeout       = "45s"

  # Only needed to connect accounts with your own ButterflyMX OAuth app.
  butterflymx_oauth {
    environment  = "production"
    redirect_url = "https://app.example.com/butterflymx/callback"
    # client_id and client_secret from BUTTERFLYMX_CLIENT_ID / BUTTERFLYMX_CLIENT_SECRET
  }
}

variable "seam_personal_access_token" {
  type      = string
  sensitive = true
}

variable "seam_workspace_id" {
  type = string
}
