# Shared-code fault run (scripts/faults-shared.sh): var.shared shared PINs,
# each on the same var.panels panels, half with a chosen PIN and half with
# one Seam generates, against an emulator that fails a share of the calls.
terraform {
  required_providers {
    butterflymx = { source = "openintercom/butterflymx" }
  }
}

provider "butterflymx" {
  request_timeout = "1s"
  # A fifth of all calls fail here: with the default 5 retries, one read of
  # several hundred can fail six times in a row and stop a refresh, which
  # says nothing about PINs. Reads get more tries than a user would need.
  max_retries = 8
}

variable "shared" {
  type = number
}

variable "panels" {
  type = number
}

data "butterflymx_intercoms" "pin_ready" {
  online                          = true
  can_program_online_access_codes = true
}

locals {
  panels = slice(sort(data.butterflymx_intercoms.pin_ready.device_ids), 0, var.panels)
}

resource "butterflymx_shared_access_code" "resident" {
  count      = var.shared
  device_ids = local.panels
  name       = "Shared ${count.index}"
  code       = count.index % 2 == 0 ? format("%06d", 300000 + count.index) : null
}
