# The provider needs its OAuth application:
#   provider "butterflymx" {
#     butterflymx_oauth {
#       environment  = "production"
#       redirect_url = "https://app.example.com/butterflymx/callback"
#     }
#   }

# A stable PKCE verifier: the code is exchanged in a later run.
resource "random_password" "pkce_verifier" {
  length  = 64
  special = false
}

data "butterflymx_oauth_authorization_url" "marina" {
  state         = "marina-2030-01"
  code_verifier = random_password.pkce_verifier.result
}

output "authorize_here" {
  description = "Open this as the ButterflyMX user, then pass the code from the redirect to butterflymx_connected_account.oauth_code_wo."
  value       = data.butterflymx_oauth_authorization_url.marina.url
}
