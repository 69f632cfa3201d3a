"""An in-memory cache whose entries expire after a time to live."""

from .clock import ManualClock, SystemClock
from .ttl_cache import TTLCache

__all__ = ["ManualClock", "SystemClock", "TTLCache"]
