# SIGKILL run (scripts/faults_kill.sh): var.codes codes on var.panels panels,
# half with a chosen PIN, half with a PIN Seam generates. Names are unique:
# after a kill the next plan recognises the codes the killed run made by
# name and PIN, or name and schedule.
terraform {
  required_providers {
    butterflymx = { source = "openintercom/butterflymx" }
  }
}

provider "butterflymx" {}

variable "codes" {
  type = number
}

variable "panels" {
  type = number
}

# The panels the script added (named "Kill ..."), not the demo's.
data "butterflymx_intercoms" "pin_ready" {
  online                          = true
  can_program_online_access_codes = true
  name_regex                      = "^Kill"
}

locals {
  panels = slice(sort(data.butterflymx_intercoms.pin_ready.device_ids), 0, var.panels)
}

resource "butterflymx_access_code" "visitor" {
  count     = ceil(var.codes / 2)
  device_id = local.panels[count.index % var.panels]
  name      = "Visitor ${count.index}"
  code      = format("%06d", 300000 + count.index)
}

resource "butterflymx_access_code" "guest" {
  count     = floor(var.codes / 2)
  device_id = local.panels[count.index % var.panels]
  name      = "Guest ${count.index}"
  starts_at = "2030-01-01T00:00:00Z"
  ends_at   = "2030-01-31T00:00:00Z"
}
