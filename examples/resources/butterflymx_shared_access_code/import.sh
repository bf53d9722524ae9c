# A shared access code is imported by its common_code_key (the
# butterflymx_access_codes data source shows it on each panel's code).
terraform import butterflymx_shared_access_code.resident_4b auto_set_by_create_multiple_3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b
