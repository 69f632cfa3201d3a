from collections import Counter


def count_words(text: str) -> Counter:
    """Counts whitespace-separated words."""
    return Counter(text.split())
