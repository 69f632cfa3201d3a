"""Truncation at word boundaries."""


def truncate_words(text, limit, ellipsis="..."):
    words = text.split()
    if len(words) <= limit:
        return " ".join(words)
    return " ".join(words[:limit]) + ellipsis
