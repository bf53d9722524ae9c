# A login page for the building manager: they open `url` and sign in to
# ButterflyMX. The next plan shows status = "authorized" and the new
# connected_account_id.
resource "butterflymx_connect_webview" "harbor_view" {
  custom_redirect_url              = "https://app.example.com/onboarding/butterflymx/done"
  custom_redirect_failure_url      = "https://app.example.com/onboarding/butterflymx/failed"
  customer_key                     = "harbor-view"
  automatically_manage_new_devices = true
  wait_for_device_creation         = true

  # Copied to the connected account.
  custom_metadata = {
    building = "harbor-view"
  }
}

output "harbor_view_login_url" {
  description = "Send this to the building manager."
  value       = butterflymx_connect_webview.harbor_view.url
}

output "harbor_view_status" {
  value = butterflymx_connect_webview.harbor_view.status
}
