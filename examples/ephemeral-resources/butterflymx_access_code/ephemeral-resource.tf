data "butterflymx_intercom" "lobby" {
  name = "Lobby Entrance"
}

# A PIN Seam generates and the state never holds (store_code = false).
resource "butterflymx_access_code" "cleaner" {
  device_id  = data.butterflymx_intercom.lobby.device_id
  name       = "Cleaning crew"
  store_code = false
}

# Read during each run, stored nowhere: neither in the state nor in a saved
# plan. Its values can go only where ephemeral values may: write-only
# arguments, provider blocks, other ephemeral resources.
ephemeral "butterflymx_access_code" "cleaner" {
  access_code_id = butterflymx_access_code.cleaner.id
}

# Handed to another provider's write-only argument, here a secrets
# manager's secret value; any write-only argument works the same way.
resource "aws_secretsmanager_secret_version" "cleaner_pin" {
  secret_id                = aws_secretsmanager_secret.cleaner_pin.id
  secret_string_wo         = ephemeral.butterflymx_access_code.cleaner.code
  secret_string_wo_version = 1 # increment to send the PIN again
}
