# Terraform 1.12+ / OpenTofu 1.12+: import a connect webview by its resource identity.
import {
  to = butterflymx_connect_webview.harbor_view
  identity = {
    connect_webview_id = "6d2a5d1c-0f3b-4c59-9a8e-2b7e1f4c3a90"
  }
}
