# Every ButterflyMX panel of the workspace.
data "butterflymx_intercoms" "all" {}

# Online panels of one building that can hold PIN access codes.
data "butterflymx_intercoms" "lobby_pins" {
  connected_account_id            = "c0a8e7e2-6f7b-4b7e-9a52-1d2f3e4a5b6c"
  name_regex                      = "(?i)lobby|main entrance"
  online                          = true
  can_program_online_access_codes = true
}

# 2N intercoms too (Seam's sandbox has 2N panels).
data "butterflymx_intercoms" "every_intercom" {
  device_types = ["butterflymx_panel", "two_n_intercom"]
}

output "panel_ids_by_name" {
  value = { for p in data.butterflymx_intercoms.all.intercoms : p.name => p.device_id }
}

# New panels of an account with automatically_manage_new_devices = false
# arrive unmanaged: list them too, and adopt them with butterflymx_intercom.
data "butterflymx_intercoms" "with_unmanaged" {
  connected_account_id = "c0a8e7e2-6f7b-4b7e-9a52-1d2f3e4a5b6c"
  include_unmanaged    = true
}

resource "butterflymx_intercom" "new_panels" {
  for_each = toset([for p in data.butterflymx_intercoms.with_unmanaged.intercoms : p.device_id if !p.is_managed])

  device_id           = each.key
  unmanage_on_destroy = true # hand the panel back to Seam unmanaged on destroy
}
