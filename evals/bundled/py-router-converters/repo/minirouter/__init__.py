"""A tiny URL router with typed path parameters: /users/<int:id>/posts/<slug>."""

from .router import NotFound, Router

__all__ = ["NotFound", "Router"]
