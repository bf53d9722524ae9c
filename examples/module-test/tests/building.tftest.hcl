# Runs against seam-emulator's demo world (seam-emulator --seed demo):
# Maple Court has three panels, two with keypads (the package room reader
# has none). `make test` starts the emulator and runs this with every CLI.
#   SEAM_ENDPOINT=... SEAM_API_KEY=... terraform test

provider "butterflymx" {}

variables {
  connected_account_id = "5eed0000-0000-4000-8000-0000000000a1"
  resident             = "Resident 4B"
  contractors = {
    "HVAC contractor" = {
      starts_at = "2030-03-02T08:00:00Z"
      ends_at   = "2030-03-02T18:00:00Z"
    }
    "Plumber" = {
      starts_at = "2030-03-05T09:00:00Z"
      ends_at   = "2030-03-05T12:00:00Z"
      code      = "58213"
    }
  }
}

run "adopts_the_building" {
  assert {
    condition     = length(output.panel_ids) == 3
    error_message = "Maple Court has three panels; adopted ${length(output.panel_ids)}."
  }
  assert {
    condition     = alltrue([for p in butterflymx_intercom.panel : p.is_managed])
    error_message = "Every adopted panel should be managed by Seam."
  }
  assert {
    condition     = length(output.keypad_ids) == 2
    error_message = "Two of the panels take PINs; got ${length(output.keypad_ids)}."
  }
}

run "one_resident_pin_on_every_keypad" {
  assert {
    condition     = toset(keys(butterflymx_shared_access_code.resident.codes)) == toset(output.keypad_ids)
    error_message = "The resident's PIN should be on every keypad."
  }
  assert {
    condition     = length(toset([for c in values(butterflymx_shared_access_code.resident.codes) : c.code])) == 1
    error_message = "Every keypad should have the same resident PIN."
  }
  assert {
    condition     = alltrue([for c in values(butterflymx_shared_access_code.resident.codes) : c.status == "set"])
    error_message = "The resident's PIN should be set on every keypad."
  }
}

run "contractors_have_schedules" {
  assert {
    condition     = alltrue([for c in butterflymx_shared_access_code.contractor : c.type == "time_bound"])
    error_message = "Contractor PINs should be time-bound."
  }
  assert {
    condition     = alltrue([for c in values(butterflymx_shared_access_code.contractor["Plumber"].codes) : c.code == "58213"])
    error_message = "The plumber's chosen PIN should be on every keypad."
  }
}

run "refuses_a_window_that_ends_before_it_starts" {
  command = plan

  variables {
    contractors = {
      "Painter" = {
        starts_at = "2030-04-01T17:00:00Z"
        ends_at   = "2030-04-01T08:00:00Z"
      }
    }
  }

  expect_failures = [var.contractors]
}
