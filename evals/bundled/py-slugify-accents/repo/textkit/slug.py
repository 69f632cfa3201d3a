"""URL slugs from titles."""

import re

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(title, separator="-", max_length=None):
    """Lower-case ASCII slug of a title: words joined by `separator`."""
    text = title.lower()
    slug = _NON_WORD.sub(separator, text).strip(separator)
    if max_length is not None and len(slug) > max_length:
        slug = slug[:max_length].rsplit(separator, 1)[0] if separator in slug[:max_length] else slug[:max_length]
    return slug


def unique_slug(title, taken, separator="-"):
    """A slug not in `taken`, suffixed with -2, -3... when needed."""
    base = slugify(title, separator) or "item"
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}{separator}{n}"
        n += 1
    return slug
