package provider

// Acceptance tests run a real CLI (TF_ACC_TERRAFORM_PATH picks Terraform or
// OpenTofu; `make test` runs them on both) against an in-process emulator.
