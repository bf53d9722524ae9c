lobby_device_id       = "5eed0000-0000-4000-8000-000000000d01"
contractor_device_ids = ["5eed0000-0000-4000-8000-000000000d01", "5eed0000-0000-4000-8000-000000000d02"]

visits = {
  "2030-05-04-ann" = {
    name      = "Ann (dog walker)"
    starts_at = "2030-05-04T09:00:00Z"
    ends_at   = "2030-05-04T10:00:00Z"
  }
  "2030-05-06-bob" = {
    name      = "Bob (guest of 4B)"
    code      = "604218"
    starts_at = "2030-05-06T18:00:00Z"
    ends_at   = "2030-05-08T12:00:00Z"
  }
}

contractor_visits = {
  "2030-05-05-plumber" = {
    name      = "Plumber (riser repair)"
    starts_at = "2030-05-05T07:00:00Z"
    ends_at   = "2030-05-05T17:00:00Z"
  }
}
