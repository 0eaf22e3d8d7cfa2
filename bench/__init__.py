"""`make bench`: load a realistic data set, serve it with gunicorn and measure (README.md)."""
