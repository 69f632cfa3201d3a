"""Table-of-contents generator for Markdown documents (GitHub-style anchors)."""

from .headings import Heading, extract_headings
from .toc import render_toc

__all__ = ["Heading", "extract_headings", "render_toc"]
