# One PIN on several panels per contractor job; it expires like a visitor's.

variable "contractor_visits" {
  description = "Contractors: the same PIN on every panel of contractor_device_ids, for the length of the job."
  type = map(object({
    name      = string
    starts_at = string
    ends_at   = string
    code      = optional(string)
  }))
  default = {}
}

resource "butterflymx_shared_access_code" "contractor" {
  for_each = var.contractor_visits

  device_ids = var.contractor_device_ids
  name       = each.value.name
  code       = each.value.code
  starts_at  = each.value.starts_at
  ends_at    = each.value.ends_at
}
