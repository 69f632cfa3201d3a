import unittest

from textkit import slugify, truncate_words, unique_slug


class SlugifyTests(unittest.TestCase):
    def test_basic_title(self):
        self.assertEqual(slugify("Hello, World!"), "hello-world")

    def test_custom_separator(self):
        self.assertEqual(slugify("Release notes 2.0", separator="_"), "release_notes_2_0")

    def test_max_length_cuts_at_word(self):
        self.assertEqual(slugify("the quick brown fox", max_length=12), "the-quick")

    def test_unique_slug_suffixes(self):
        self.assertEqual(unique_slug("News", {"news", "news-2"}), "news-3")


class TruncateTests(unittest.TestCase):
    def test_truncates_words(self):
        self.assertEqual(truncate_words("a b c d", 2), "a b...")
