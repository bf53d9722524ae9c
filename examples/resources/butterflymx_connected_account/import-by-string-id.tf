# Terraform 1.5+ / OpenTofu 1.6+: import a connected account by its Seam id.
import {
  to = butterflymx_connected_account.harbor_view
  id = "0b6f7a8e-3c1d-4e2f-8a9b-5c6d7e8f9a0b"
}

# Adopt every ButterflyMX account of a customer.
data "butterflymx_connected_accounts" "acme" {
  customer_key = "acme-properties"
}

import {
  for_each = toset(data.butterflymx_connected_accounts.acme.connected_account_ids)
  to       = butterflymx_connected_account.acme[each.key]
  id       = each.key
}

resource "butterflymx_connected_account" "acme" {
  for_each              = toset(data.butterflymx_connected_accounts.acme.connected_account_ids)
  disconnect_on_destroy = false
}
