"""Small text helpers."""

from textutils.slug import slugify

__all__ = ["slugify"]
