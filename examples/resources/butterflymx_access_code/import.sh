# An access code is imported by its Seam access code id, managed or not (the
# butterflymx_access_codes data source lists them). An unmanaged code becomes
# managed by Seam at the next apply.
terraform import butterflymx_access_code.manager 6b1f0f2e-8c4a-4d7b-9e21-3a5c7d9e0f12
