# Actions need Terraform 1.14 or later (OpenTofu does not run them yet).

data "butterflymx_intercom" "lobby" {
  name = "Lobby Entrance"
}

# Run on demand:  terraform apply -invoke=action.butterflymx_unlock_door.lobby
action "butterflymx_unlock_door" "lobby" {
  config {
    device_id = data.butterflymx_intercom.lobby.device_id
    timeout   = "45s" # how long to wait for the panel to confirm; default 30s
  }
}

# Or let a lifecycle event trigger it, e.g. open the door once a resident's
# PIN has been programmed so the installer can check the panel on site.
resource "butterflymx_access_code" "installer" {
  device_id = data.butterflymx_intercom.lobby.device_id
  name      = "Installer visit"
  code      = "482913"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.butterflymx_unlock_door.lobby]
    }
  }
}
