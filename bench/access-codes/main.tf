# Benchmark scenario: N PIN access codes spread over every panel that can hold
# them, applied, re-planned (a refresh of every code), then destroyed.
terraform {
  required_providers {
    butterflymx = { source = "openintercom/butterflymx" }
  }
}

provider "butterflymx" {}

variable "codes" {
  type    = number
  default = 200
}

data "butterflymx_intercoms" "pin_ready" {
  online                          = true
  can_program_online_access_codes = true
}

locals {
  panels = data.butterflymx_intercoms.pin_ready.device_ids
}

resource "butterflymx_access_code" "resident" {
  count     = var.codes
  device_id = local.panels[count.index % length(local.panels)]
  name      = "Resident ${count.index}"
  code      = format("%06d", 100000 + count.index)
}
