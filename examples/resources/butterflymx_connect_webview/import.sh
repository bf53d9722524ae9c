# A connect webview is imported by its Seam id.
terraform import butterflymx_connect_webview.harbor_view 6d2a5d1c-0f3b-4c59-9a8e-2b7e1f4c3a90
