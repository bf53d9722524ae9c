# Quickstart: runs against the Seam emulator (`make demo`) or a real Seam
# workspace. Credentials come from SEAM_API_KEY and SEAM_ENDPOINT.
terraform {
  required_providers {
    butterflymx = {
      source = "openintercom/butterflymx"
    }
  }
}

provider "butterflymx" {}

# Every ButterflyMX panel in the workspace.
data "butterflymx_intercoms" "all" {}

# The panels that can hold PIN access codes and are online.
data "butterflymx_intercoms" "pin_ready" {
  online                          = true
  can_program_online_access_codes = true
}

output "panels" {
  value = { for p in data.butterflymx_intercoms.all.intercoms : p.name => p.device_id }
}

output "pin_ready_panels" {
  value = [for p in data.butterflymx_intercoms.pin_ready.intercoms : p.name]
}
