# The infrastructure the receiver's test runs against: a webhook that sends
# access-code events to the receiver, and (with visitor_code = true) a code
# whose creation is the event the test waits for. Point the provider at
# seam-emulator with SEAM_ENDPOINT and SEAM_API_KEY.

terraform {
  required_providers {
    butterflymx = {
      source = "openintercom/butterflymx"
    }
  }
}

variable "receiver_url" {
  type        = string
  description = "URL of the running receiver, such as http://127.0.0.1:8787/seam-events."
}

variable "visitor_code" {
  type        = bool
  default     = false
  description = "Create the visitor's access code (the event the test waits for)."
}

resource "butterflymx_webhook" "receiver" {
  url = var.receiver_url
  event_types = [
    "access_code.set_on_device",
    "access_code.failed_to_set_on_device",
    "access_code.removed_from_device",
  ]
}

data "butterflymx_intercom" "garage" {
  name = "Maple Court Garage"
}

resource "butterflymx_access_code" "visitor" {
  count     = var.visitor_code ? 1 : 0
  device_id = data.butterflymx_intercom.garage.device_id
  name      = "Webhook test visitor"
}

# The receiver needs the secret to verify deliveries. This state belongs to
# an emulator run; against Seam, set store_secret = false and hand the
# secret to the receiver's secrets store through the butterflymx_webhook
# ephemeral resource instead (see the guide "Keeping PINs out of state").
output "webhook_secret" {
  value     = butterflymx_webhook.receiver.secret
  sensitive = true
}
