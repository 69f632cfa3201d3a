"""The settings the application knows, with their types and defaults."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: object


SCHEMA = {
    s.name: s
    for s in (
        Setting("host", str, "127.0.0.1"),
        Setting("port", int, 8000),
        Setting("debug", bool, False),
        Setting("workers", int, 1),
        Setting("log_level", str, "info"),
    )
}
