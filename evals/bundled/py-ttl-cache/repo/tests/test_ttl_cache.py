import unittest

from cache import ManualClock, TTLCache


class TTLCacheTests(unittest.TestCase):
    def setUp(self):
        self.clock = ManualClock()
        self.cache = TTLCache(ttl=10, clock=self.clock)

    def test_get_returns_stored_value(self):
        self.cache.set("a", 1)
        self.assertEqual(self.cache.get("a"), 1)

    def test_missing_key_returns_default_and_counts_miss(self):
        self.assertEqual(self.cache.get("nope", "dflt"), "dflt")
        self.assertEqual(self.cache.stats.misses, 1)

    def test_contains_respects_expiry(self):
        self.cache.set("a", 1)
        self.clock.advance(10)
        self.assertNotIn("a", self.cache)

    def test_purge_drops_expired(self):
        self.cache.set("a", 1)
        self.cache.set("b", 2, ttl=None)
        self.clock.advance(11)
        self.assertEqual(self.cache.purge(), 1)
        self.assertIn("b", self.cache)

    def test_rejects_non_positive_ttl(self):
        with self.assertRaises(ValueError):
            TTLCache(ttl=0)
