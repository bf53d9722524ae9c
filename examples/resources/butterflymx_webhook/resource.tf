# Every event of the workspace, to the platform's receiver.
resource "butterflymx_webhook" "all" {
  url = "https://hooks.example.com/seam"
}

# Only what a front desk needs: PINs that reached the panel or did not, and
# panels that dropped off the network.
resource "butterflymx_webhook" "front_desk" {
  url = "https://frontdesk.example.com/seam-events"
  event_types = [
    "access_code.set_on_device",
    "access_code.failed_to_set_on_device",
    "access_code.removed_from_device",
    "device.disconnected",
    "device.connected",
  ]
}

# The receiver verifies each delivery with the signing secret (svix-id,
# svix-timestamp, svix-signature headers), for example with Seam's
# @seamapi/webhook package: new SeamWebhook(secret).verify(body, headers).
output "front_desk_secret" {
  value     = butterflymx_webhook.front_desk.secret
  sensitive = true
}

# A webhook whose signing secret stays out of the state (and plans): read it
# with the butterflymx_webhook ephemeral resource and hand it to a
# write-only argument, such as a secrets manager's.
resource "butterflymx_webhook" "audit" {
  url          = "https://audit.example.com/seam"
  store_secret = false
}
