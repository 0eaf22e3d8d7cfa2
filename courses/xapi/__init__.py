"""xAPI 1.0.3 records: how statements are made to conform, the Statements resource at
`/xapi/` for LRS clients, and forwarding to an external LRS.

- `identity`: who and what statements name. A learner is an `account` on our home page
  whose name is an opaque, stable id (the user id encrypted with a site key: no query to
  make, no email, never the random ids H5P sends); an H5P block of a lesson is the activity
  `<home>/xapi/activities/lesson/<lesson id>/<block id>`; the platform is the authority.
- `statements`: validation of whole statements as the spec states them (for LRS clients),
  the comparison rules for a reused id, and the formats a GET returns.
- `services`, `selectors`, `views`: writes, reads (scoped in SQL to a client's units), HTTP.
- `forwarding`: the outbox sent in batches to an external LRS.
"""
