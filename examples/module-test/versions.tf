terraform {
  # terraform test / tofu test with mock-free runs against seam-emulator.
  required_version = ">= 1.7.0"
  required_providers {
    butterflymx = {
      source = "openintercom/butterflymx"
    }
  }
}
