# Visitor codes generated from a list: one time-bound PIN per visit. When a
# visit ends, Seam deletes its code; the resource stays in state with
# expired = true, plans stay empty and applies stay green, with a warning
# that names the entry to remove. Removing it from the list forgets the code
# without a call to Seam; moving its ends_at later creates it again. (No
# output lists the ended visits: an output that changes when a visit ends
# would make the plan show a change.)

terraform {
  required_providers {
    butterflymx = {
      source = "openintercom/butterflymx"
    }
  }
}

# Credentials and endpoint from SEAM_API_KEY and SEAM_ENDPOINT.
provider "butterflymx" {}

variable "lobby_device_id" {
  type        = string
  description = "Seam device id of the panel visitors use (see the butterflymx_intercoms data source)."
}

variable "contractor_device_ids" {
  type        = set(string)
  description = "Panels a contractor's code opens: the lobby, the garage, the service door."
  default     = []
}

variable "visits" {
  description = "Visitors, keyed by something that stays the same for the visit (not a list position)."
  type = map(object({
    name      = string
    starts_at = string           # RFC 3339, e.g. "2030-05-04T09:00:00Z"
    ends_at   = string           # when the code stops working; Seam deletes it then
    code      = optional(string) # omit it and Seam generates a PIN
  }))
  default = {}
}

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

resource "butterflymx_access_code" "visitor" {
  for_each = var.visits

  device_id = var.lobby_device_id
  name      = each.value.name
  code      = each.value.code
  starts_at = each.value.starts_at
  ends_at   = each.value.ends_at
}

resource "butterflymx_shared_access_code" "contractor" {
  for_each = var.contractor_visits

  device_ids = var.contractor_device_ids
  name       = each.value.name
  code       = each.value.code
  starts_at  = each.value.starts_at
  ends_at    = each.value.ends_at
}
