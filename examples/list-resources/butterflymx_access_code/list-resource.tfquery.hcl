# terraform query (Terraform 1.14+): every code on the lobby panel, including
# the ones typed in on the panel (unmanaged; the first apply after the import
# converts them to Seam-managed codes).
list "butterflymx_access_code" "lobby" {
  provider = butterflymx

  config {
    device_id         = "5eed0000-0000-4000-8000-000000000d01"
    include_unmanaged = true
  }
}
