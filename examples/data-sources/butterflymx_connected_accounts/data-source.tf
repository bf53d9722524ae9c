# Every ButterflyMX account of the workspace (all pages).
data "butterflymx_connected_accounts" "all" {}

# Filters combine with AND.
data "butterflymx_connected_accounts" "acme_east" {
  customer_key = "acme-properties"
  custom_metadata_has = {
    region = "us-east"
  }
}

# Accounts of every provider, not only ButterflyMX.
data "butterflymx_connected_accounts" "any_provider" {
  account_type = "*"
}

output "accounts_needing_reconnection" {
  value = [
    for a in data.butterflymx_connected_accounts.all.connected_accounts : a.display_name
    if contains([for e in a.errors : e.code], "account_disconnected")
  ]
}
