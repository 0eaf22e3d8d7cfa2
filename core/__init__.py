"""The ground floor: machinery with no domain in it, imported by every room and importing
none of ours (tests/core/test_rooms.py). It owns the cache (`cache`: the resilient Redis
backend and the one versioning scheme, `Version`), the database helpers (`db`), the session
engine (`sessions`), the page-cache and site middlewares (`middleware`), client addresses
behind proxies (`http`), the public URL (`public_url`) and CSV/XLSX reading and writing
(`tables`)."""
