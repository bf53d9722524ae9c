# A webhook is imported by its Seam id (the butterflymx_webhooks data source
# lists them).
terraform import butterflymx_webhook.all 2b9f2f6e-7c41-4b1e-9a55-4b8f6e1c0d2a
