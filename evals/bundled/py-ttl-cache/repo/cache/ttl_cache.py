"""TTLCache: a dict-like cache whose entries expire after `ttl` seconds."""

from .clock import SystemClock
from .stats import CacheStats

_MISSING = object()


class TTLCache:
    def __init__(self, ttl, clock=None):
        if ttl is not None and ttl <= 0:
            raise ValueError("ttl must be positive or None")
        self.ttl = ttl
        self.clock = clock or SystemClock()
        self.stats = CacheStats()
        self._entries = {}  # key -> (value, expires_at or None)

    def set(self, key, value, ttl=_MISSING):
        ttl = self.ttl if ttl is _MISSING else ttl
        expires_at = None if ttl is None else self.clock.now() + ttl
        self._entries[key] = (value, expires_at)

    def _alive(self, entry):
        _, expires_at = entry
        return expires_at is None or self.clock.now() < expires_at

    def get(self, key, default=None):
        entry = self._entries.get(key)
        if entry is None:
            self.stats.misses += 1
            return default
        self.stats.hits += 1
        return entry[0]

    def __contains__(self, key):
        entry = self._entries.get(key)
        return entry is not None and self._alive(entry)

    def __len__(self):
        return len(self._entries)

    def delete(self, key):
        return self._entries.pop(key, None) is not None

    def purge(self):
        """Drops every expired entry; returns how many were dropped."""
        expired = [k for k, e in self._entries.items() if not self._alive(e)]
        for key in expired:
            del self._entries[key]
        return len(expired)
