"""Semantic version parsing, comparison and range matching."""

from .version import Version, parse
from .ranges import satisfies, max_satisfying

__all__ = ["Version", "parse", "satisfies", "max_satisfying"]
