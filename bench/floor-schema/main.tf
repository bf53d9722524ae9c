# The same-schema floor of S1 and S4: the resources of bench/access-codes on
# bench/noop's noop_access_code, which has exactly the schema of
# butterflymx_access_code and does no work.
terraform {
  required_providers {
    noop = { source = "openintercom/noop" }
  }
}

variable "codes" {
  type    = number
  default = 200
}

variable "panels" {
  type    = number
  default = 20
}

resource "noop_access_code" "resident" {
  count     = var.codes
  device_id = format("panel-%04d", count.index % var.panels)
  name      = "Resident ${count.index}"
  code      = format("%06d", 100000 + count.index)
}
