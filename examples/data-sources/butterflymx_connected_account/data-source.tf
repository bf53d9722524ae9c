# One account by its exact display name (an error if none, or several, have it).
data "butterflymx_connected_account" "harbor_view" {
  display_name = "ButterflyMX Harbor View"
}

# One account by its Seam id.
data "butterflymx_connected_account" "by_id" {
  id = "0b6f7a8e-3c1d-4e2f-8a9b-5c6d7e8f9a0b"
}

output "harbor_view_disconnected" {
  value = contains([for e in data.butterflymx_connected_account.harbor_view.errors : e.code], "account_disconnected")
}
