"""Layered application settings: defaults, an INI file, APP_* environment variables, CLI flags."""

from .loader import load_settings
from .schema import SCHEMA, Setting

__all__ = ["load_settings", "SCHEMA", "Setting"]
