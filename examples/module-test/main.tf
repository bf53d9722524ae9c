# One building, managed as code: every panel of its ButterflyMX account
# adopted (including new panels that arrived unmanaged), one resident PIN
# that opens every door that takes PINs, and time-bound contractor PINs.
#
# The provider is configured by the caller (SEAM_API_KEY, or SEAM_ENDPOINT
# and SEAM_API_KEY for seam-emulator in tests).

variable "connected_account_id" {
  type        = string
  description = "Seam connected account of the building (its ButterflyMX login)."
}

variable "resident" {
  type        = string
  description = "Name of the resident whose PIN opens every door."
}

variable "contractors" {
  type = map(object({
    starts_at = string
    ends_at   = string
    code      = optional(string)
  }))
  default     = {}
  description = "Contractor PINs by name, each for a time window (RFC 3339)."

  validation {
    condition     = alltrue([for c in values(var.contractors) : timecmp(c.ends_at, c.starts_at) > 0])
    error_message = "Every contractor's ends_at must be later than its starts_at."
  }
}

data "butterflymx_intercoms" "building" {
  connected_account_id = var.connected_account_id
  include_unmanaged    = true
}

# Adopt every panel; the ones Seam does not manage yet become managed, and
# are handed back unmanaged when the building leaves this module.
resource "butterflymx_intercom" "panel" {
  for_each = { for p in data.butterflymx_intercoms.building.intercoms : p.device_id => p }

  device_id           = each.key
  unmanage_on_destroy = !each.value.is_managed
}

locals {
  # The doors that take PINs, once adopted.
  keypads = sort([for id, p in butterflymx_intercom.panel : id if p.can_program_online_access_codes])
}

resource "butterflymx_shared_access_code" "resident" {
  device_ids = local.keypads
  name       = var.resident
}

resource "butterflymx_shared_access_code" "contractor" {
  for_each = var.contractors

  device_ids = local.keypads
  name       = each.key
  code       = each.value.code
  starts_at  = each.value.starts_at
  ends_at    = each.value.ends_at
}

output "panel_ids" {
  value       = sort(keys(butterflymx_intercom.panel))
  description = "Device ids of the adopted panels."
}

output "keypad_ids" {
  value       = local.keypads
  description = "Device ids of the panels that hold the PINs."
}

output "resident_common_code_key" {
  value       = butterflymx_shared_access_code.resident.common_code_key
  description = "common_code_key of the resident's PIN (import id)."
}
