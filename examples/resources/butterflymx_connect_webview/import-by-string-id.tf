# Terraform 1.5+ / OpenTofu 1.6+: import a connect webview by its Seam id.
import {
  to = butterflymx_connect_webview.harbor_view
  id = "6d2a5d1c-0f3b-4c59-9a8e-2b7e1f4c3a90"
}
