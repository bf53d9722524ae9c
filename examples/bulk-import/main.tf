# Adopt a whole ButterflyMX building (one connected account) in one apply:
# every intercom panel of the account, unchanged, and every PIN access code
# on those panels, including the ones typed in on a panel or in the
# ButterflyMX dashboard (unmanaged codes).
#
#   terraform plan  -var connected_account_id=...   # shows the imports
#   terraform apply -var connected_account_id=...   # adopts them
#   terraform plan  -var connected_account_id=...   # no changes
#
# Panels are imported as they are (no change). An unmanaged code is imported
# and then converted to a Seam-managed code by the apply (is_managed becomes
# true); nothing else about it changes: same name, same PIN, same panel.
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

# Every code on those panels, managed through Seam or not.
data "butterflymx_access_codes" "panel" {
  for_each          = local.panels
  device_id         = each.key
  include_unmanaged = true
}

locals {
  # access code id => device id of its panel.
  codes = merge([for device_id, d in data.butterflymx_access_codes.panel :
    { for code_id in d.access_code_ids : code_id => device_id }
  ]...)
}

import {
  for_each = local.codes
  to       = butterflymx_access_code.code[each.key]
  id       = each.key
}

resource "butterflymx_access_code" "code" {
  for_each  = local.codes
  device_id = each.value
  # name and code are adopted as they are; set them to manage them.
}

output "adopted_panels" {
  value = { for id, p in butterflymx_intercom.panel : p.name => id }
}

output "adopted_codes" {
  value = { for id, c in butterflymx_access_code.code : id => c.name }
}
