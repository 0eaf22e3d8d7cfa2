"""The session engine: Django's cached_db sessions, readable in a batch with other cache keys.

Every signed-in request reads its session from the cache, and every request also reads the
content version (core.middleware): two round trips to Redis where one does.
`CachedSiteMiddleware` fetches both with one `get_many` and hands the session its data
through `prefetch`; a miss (expired from the cache, or the cache down) is left to `load`,
which falls back to the database as before.
"""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore


class SessionStore(CachedDBStore):
    def prefetch_key(self) -> str | None:
        """The cache key to fetch for this session, or None when there is nothing to fetch
        (no session cookie, or the session has been read already)."""
        if self.session_key is None or hasattr(self, "_session_cache"):
            return None
        return self.cache_key

    def prefetch(self, data) -> None:
        """Take the data fetched under `prefetch_key()` as this session's (as `load` would);
        nothing happens on a miss."""
        if data is not None and not hasattr(self, "_session_cache"):
            self._session_cache = data
