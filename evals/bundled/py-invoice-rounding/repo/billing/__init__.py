"""Small invoicing library: lines, discounts, tax and a plain-text rendering."""

from .invoice import Invoice, Line
from .render import render_text

__all__ = ["Invoice", "Line", "render_text"]
