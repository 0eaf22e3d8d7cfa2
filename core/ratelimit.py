"""Fixed-window request counters in the cache (Redis in production, shared by every web
process): one cache increment per request, before any database work."""

import time

from django.core.cache import cache


def window_hit(name: str, *, limit: int, window: int) -> int:
    """Count one hit of `name` in the current window of `window` seconds. Returns 0 while
    the count is within `limit`, else the seconds until the window ends (for Retry-After)."""
    now = time.time()
    current = int(now // window)
    key = f"rate:{name}:{window}:{current}"
    if cache.add(key, 1, window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window + 5)
            count = 1
    if count <= limit:
        return 0
    return max(1, int((current + 1) * window - now + 0.999))
