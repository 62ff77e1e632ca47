"""Background jobs: rows in the database, run by `lms worker` through Redis (RQ), or in
this process after the response when no Redis is configured. See queue.py."""
