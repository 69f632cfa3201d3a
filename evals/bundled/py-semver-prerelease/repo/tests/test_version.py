import unittest

from semver import max_satisfying, parse, satisfies


class ParseTests(unittest.TestCase):
    def test_parses_full_version(self):
        v = parse("v1.2.3-beta.1+build.5")
        self.assertEqual((v.major, v.minor, v.patch), (1, 2, 3))
        self.assertEqual(v.prerelease, ("beta", "1"))
        self.assertEqual(str(v), "1.2.3-beta.1+build.5")

    def test_rejects_garbage(self):
        with self.assertRaises(ValueError):
            parse("1.2")


class CompareTests(unittest.TestCase):
    def test_orders_by_numbers(self):
        self.assertLess(parse("1.2.3"), parse("1.10.0"))

    def test_build_metadata_is_ignored(self):
        self.assertEqual(parse("1.0.0+a"), parse("1.0.0+b"))


class RangeTests(unittest.TestCase):
    def test_caret_range(self):
        self.assertTrue(satisfies("1.4.0", "^1.2.3"))
        self.assertFalse(satisfies("2.0.0", "^1.2.3"))

    def test_max_satisfying(self):
        self.assertEqual(max_satisfying(["1.2.0", "1.9.9", "2.0.0"], ">=1.0.0 <2.0.0"), "1.9.9")
