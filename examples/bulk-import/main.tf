# Adopt a whole ButterflyMX building (one connected account) in one apply:
# every intercom panel of the account, with no change to any of them.
#
#   terraform plan  -var connected_account_id=...   # shows N imports, 0 changes
#   terraform apply -var connected_account_id=...
#
# After the apply the import blocks can stay (they are no-ops) or be removed.

variable "connected_account_id" {
  type        = string
  description = "Seam connected account (the ButterflyMX building) to adopt."
}

data "butterflymx_intercoms" "building" {
  connected_account_id = var.connected_account_id
}

locals {
  # Keyed by device id: stable across renames.
  panels = { for p in data.butterflymx_intercoms.building.intercoms : p.device_id => p }
}

import {
  for_each = local.panels
  to       = butterflymx_intercom.panel[each.key]
  id       = each.key
}

resource "butterflymx_intercom" "panel" {
  for_each  = local.panels
  device_id = each.key
  # name and custom_metadata are left out: adopted as they are. Set them here
  # (e.g. from a map keyed by device id) to manage them from now on.
}

output "adopted_panels" {
  value = { for id, p in butterflymx_intercom.panel : p.name => id }
}
