# An intercom panel is imported by its Seam device id.
terraform import butterflymx_intercom.lobby 3f6a0c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b
