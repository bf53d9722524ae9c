# Every ButterflyMX panel of the building, with its settings.
list "butterflymx_intercom" "panels" {
  provider         = butterflymx
  include_resource = true

  config {
    connected_account_id = var.connected_account_id
  }
}

# Every code on the lobby panel, including unmanaged ones.
list "butterflymx_access_code" "lobby_codes" {
  provider         = butterflymx
  include_resource = true

  config {
    device_id         = var.lobby_device_id
    include_unmanaged = true
  }
}
