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
