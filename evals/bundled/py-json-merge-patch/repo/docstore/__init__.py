"""A small JSON document store with PATCH support (application/merge-patch+json)."""

from .merge import merge_patch
from .store import DocumentStore, NotFound

__all__ = ["DocumentStore", "NotFound", "merge_patch"]
