# S5: the butterflymx_intercoms data source over every panel of a large
# portfolio.
terraform {
  required_providers {
    butterflymx = { source = "openintercom/butterflymx" }
  }
}

provider "butterflymx" {}

data "butterflymx_intercoms" "all" {}

output "panels" {
  value = length(data.butterflymx_intercoms.all.device_ids)
}
