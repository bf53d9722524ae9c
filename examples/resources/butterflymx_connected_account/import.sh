# A connected account is imported by its Seam id. Destroying the resource later
# disconnects the account unless disconnect_on_destroy = false.
terraform import butterflymx_connected_account.harbor_view 0b6f7a8e-3c1d-4e2f-8a9b-5c6d7e8f9a0b
