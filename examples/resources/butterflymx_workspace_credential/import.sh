# A workspace credential is imported by its name. The value is not read back:
# set value_wo_version afterwards only to send the value again.
terraform import butterflymx_workspace_credential.butterfly BUTTERFLY_API_TOKEN
