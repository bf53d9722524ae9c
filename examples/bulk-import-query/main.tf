terraform {
  required_version = ">= 1.14.0"
  required_providers {
    butterflymx = {
      source = "openintercom/butterflymx"
    }
  }
}

provider "butterflymx" {}

variable "connected_account_id" {
  type        = string
  description = "Seam connected account (the ButterflyMX building) to discover."
}

variable "lobby_device_id" {
  type        = string
  description = "Seam device id of the panel whose access codes to discover."
}
