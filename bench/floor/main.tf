# The floor of S1 and S4: the same number of resources, with the same
# arguments as bench/access-codes, on the benchmark's own provider whose
# resource does no work (bench/noop).
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

resource "noop_thing" "resident" {
  count     = var.codes
  device_id = format("panel-%04d", count.index % var.panels)
  name      = "Resident ${count.index}"
  code      = format("%06d", 100000 + count.index)
}
