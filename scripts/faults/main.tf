# Fault run (scripts/faults.sh): var.codes PIN codes spread over var.panels
# panels, against an emulator that fails a share of the calls. The request
# timeout is below the emulator's slow-reply fault, so some replies come
# after the provider gave up on them.
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

variable "codes" {
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

resource "butterflymx_access_code" "resident" {
  count     = var.codes
  device_id = local.panels[count.index % var.panels]
  name      = "Resident ${count.index}"
  code      = format("%06d", 100000 + count.index)
}
