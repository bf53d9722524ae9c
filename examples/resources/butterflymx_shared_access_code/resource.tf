data "butterflymx_intercoms" "maple_court" {
  connected_account_id            = "5eed0000-0000-4000-8000-0000000000a1"
  can_program_online_access_codes = true
}

# One PIN for a resident on every door of the building: Seam generates a PIN
# that every panel accepts. Adding a panel to device_ids later puts the same
# PIN on it; removing one deletes the code there only.
resource "butterflymx_shared_access_code" "resident_4b" {
  device_ids = data.butterflymx_intercoms.maple_court.device_ids
  name       = "Resident 4B"
}

# A chosen PIN for a contractor on two doors, for one day.
resource "butterflymx_shared_access_code" "plumber" {
  device_ids = [
    "5eed0000-0000-4000-8000-000000000d01", # lobby
    "5eed0000-0000-4000-8000-000000000d02", # garage
  ]
  name      = "Plumber"
  code      = "582913"
  starts_at = "2030-03-02T08:00:00-05:00"
  ends_at   = "2030-03-02T18:00:00-05:00"

  timeouts = {
    create = "20m"
  }
}

output "resident_4b_pin" {
  value     = butterflymx_shared_access_code.resident_4b.code
  sensitive = true
}
