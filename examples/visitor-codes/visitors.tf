# One time-bound PIN on the lobby panel per visit. When a visit ends, the
# code stays in state with expired = true and a warning names the entry to
# remove from var.visits.

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

resource "butterflymx_access_code" "visitor" {
  for_each = var.visits

  device_id = var.lobby_device_id
  name      = each.value.name
  code      = each.value.code
  starts_at = each.value.starts_at
  ends_at   = each.value.ends_at
}
