# A webhook whose signing secret the state never holds.
resource "butterflymx_webhook" "front_desk" {
  url          = "https://frontdesk.example.com/seam-events"
  event_types  = ["access_code.set_on_device", "access_code.failed_to_set_on_device"]
  store_secret = false
}

# Read during each run, stored nowhere.
ephemeral "butterflymx_webhook" "front_desk" {
  webhook_id = butterflymx_webhook.front_desk.id
}

# The receiver reads the secret from a secrets manager; it reaches it
# through a write-only argument, so no state or plan file holds it.
resource "aws_secretsmanager_secret_version" "webhook_secret" {
  secret_id                = aws_secretsmanager_secret.webhook_secret.id
  secret_string_wo         = ephemeral.butterflymx_webhook.front_desk.secret
  secret_string_wo_version = 1
}
