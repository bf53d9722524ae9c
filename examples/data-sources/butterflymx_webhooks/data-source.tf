# Every webhook of the workspace, whoever made it.
data "butterflymx_webhooks" "all" {}

# Who receives every event of the workspace.
output "receivers_of_everything" {
  value = [
    for w in data.butterflymx_webhooks.all.webhooks : w.url
    if contains(w.event_types, "*")
  ]
}
