"""Text helpers for URLs and listings: slugs and truncation."""

from .slug import slugify, unique_slug
from .truncate import truncate_words

__all__ = ["slugify", "unique_slug", "truncate_words"]
