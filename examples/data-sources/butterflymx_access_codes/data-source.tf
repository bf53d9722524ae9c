# Every code on the lobby panel, including the ones created on the panel or in
# the ButterflyMX dashboard rather than through Seam.
data "butterflymx_access_codes" "lobby" {
  device_id         = "3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
  include_unmanaged = true
}

# Adopt them all: import blocks with for_each (Terraform 1.7+ / OpenTofu 1.7+).
# The next apply converts the unmanaged ones to Seam-managed codes, keeping
# their PINs; nothing is written at plan time.
import {
  for_each = toset(data.butterflymx_access_codes.lobby.access_code_ids)
  to       = butterflymx_access_code.adopted[each.key]
  id       = each.key
}

resource "butterflymx_access_code" "adopted" {
  for_each  = toset(data.butterflymx_access_codes.lobby.access_code_ids)
  device_id = data.butterflymx_access_codes.lobby.device_id
  # name and code are left out: the current ones are kept.
}

output "unmanaged_code_names" {
  value = [for c in data.butterflymx_access_codes.lobby.access_codes : c.name if !c.is_managed]
}

# The lobby's code of a PIN shared with other panels
# (butterflymx_shared_access_code), found by its common_code_key.
data "butterflymx_access_codes" "resident_4b_on_lobby" {
  device_id       = "3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
  common_code_key = "auto_set_by_create_multiple_3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
}
