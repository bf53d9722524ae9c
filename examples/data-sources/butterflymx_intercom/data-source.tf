# One panel by its exact name (an error if no panel, or several, have it).
data "butterflymx_intercom" "lobby" {
  name = "Lobby Entrance"
}

# One panel by its Seam device id.
data "butterflymx_intercom" "garage" {
  device_id = "3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
}

output "lobby" {
  value = {
    id                  = data.butterflymx_intercom.lobby.device_id
    online              = data.butterflymx_intercom.lobby.online
    can_remotely_unlock = data.butterflymx_intercom.lobby.can_remotely_unlock
    pin_lengths         = data.butterflymx_intercom.lobby.supported_code_lengths
  }
}
