data "butterflymx_workspace" "this" {}

# Refuse to plan a CI run against anything but a sandbox workspace, and make
# sure the ButterflyMX partner token is loaded before adopting panels.
check "sandbox_workspace" {
  assert {
    condition     = data.butterflymx_workspace.this.is_sandbox
    error_message = "This pipeline must run against a Seam sandbox workspace, not ${data.butterflymx_workspace.this.name}."
  }
  assert {
    condition     = contains(data.butterflymx_workspace.this.credential_names, "BUTTERFLY_API_TOKEN")
    error_message = "Load BUTTERFLY_API_TOKEN into the workspace vault first (butterflymx_workspace_credential)."
  }
}

output "workspace" {
  value = "${data.butterflymx_workspace.this.company_name} / ${data.butterflymx_workspace.this.name}"
}
