from collections import Counter


def count_words(text: str, lower: bool = False) -> Counter:
    """Counts whitespace-separated words; with lower=True, case is ignored."""
    words = text.split()
    if lower:
        words = [w.lower() for w in words]
    return Counter(words)
