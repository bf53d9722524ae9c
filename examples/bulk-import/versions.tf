# import blocks with for_each need Terraform 1.7+ or OpenTofu 1.7+.
terraform {
  required_version = ">= 1.7.0"
  required_providers {
    butterflymx = {
      source = "openintercom/butterflymx"
    }
  }
}

# Credentials from SEAM_API_KEY (and SEAM_ENDPOINT for the emulator).
provider "butterflymx" {}
