# Look the lobby panel up by its name...
data "butterflymx_intercom" "lobby" {
  name = "Lobby Entrance"
}

# ...and adopt it: Terraform now owns its name and custom metadata.
resource "butterflymx_intercom" "lobby" {
  device_id = data.butterflymx_intercom.lobby.device_id
  name      = "Lobby Entrance (north)"

  # Replaces the panel's whole metadata object. Leave it out to keep the
  # current metadata unmanaged.
  custom_metadata = {
    building = "harbor-view"
    role     = "main-entrance"
  }
}

# Adopt a panel without changing anything: name and metadata are kept and shown.
resource "butterflymx_intercom" "garage" {
  device_id = "3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"

  # When this resource is destroyed, also stop managing the panel in Seam.
  unmanage_on_destroy = true

  timeouts = {
    create = "2m"
  }
}
