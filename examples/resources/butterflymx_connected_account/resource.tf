# 1. Adopt the account a connect webview connected. Apply the webview first and
#    have the building manager complete its url; then add this and apply again.
resource "butterflymx_connect_webview" "harbor_view" {
  customer_key = "harbor-view"
}

resource "butterflymx_connected_account" "harbor_view" {
  connected_account_id = butterflymx_connect_webview.harbor_view.connected_account_id

  # Replaces the account's whole metadata object.
  custom_metadata = {
    building = "harbor-view"
    region   = "us-east"
  }
  automatically_manage_new_devices = true

  # Destroying this resource deletes the access codes Seam set on the
  # account's panels (Seam's disconnect alone would leave those PINs working),
  # then disconnects the account. Codes created outside Seam stay on the
  # panels. Guard against it in production.
  remove_access_codes_on_destroy = true
  lifecycle {
    prevent_destroy = true
  }
}

# 2. Connect an account with your own ButterflyMX OAuth app (provider block:
#    butterflymx_oauth { ... }). The verifier must survive between the run that
#    builds the URL and the run that exchanges the code.
resource "random_password" "pkce_verifier" {
  length  = 64
  special = false
}

data "butterflymx_oauth_authorization_url" "marina" {
  state         = "marina-2030-01"
  code_verifier = random_password.pkce_verifier.result
}

variable "butterflymx_oauth_code" {
  description = "The code ButterflyMX added to the redirect URL."
  type        = string
  sensitive   = true
  ephemeral   = true
}

resource "butterflymx_connected_account" "marina" {
  oauth_code_wo          = var.butterflymx_oauth_code
  oauth_code_verifier_wo = random_password.pkce_verifier.result
  # Bump together with a new code to reconnect the account.
  oauth_code_wo_version = 1

  custom_metadata = {
    building = "marina"
  }

  # Only forget the account on destroy; it stays connected in Seam.
  disconnect_on_destroy = false
}
