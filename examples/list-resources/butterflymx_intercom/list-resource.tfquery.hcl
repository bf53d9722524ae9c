# terraform query (Terraform 1.14+): every ButterflyMX panel of one building.
#   terraform query -generate-config-out=panels.tf
# writes an import block and a butterflymx_intercom resource for each.
list "butterflymx_intercom" "building" {
  provider         = butterflymx
  include_resource = true

  config {
    connected_account_id = "5eed0000-0000-4000-8000-0000000000a1"
    online               = true
  }
}
