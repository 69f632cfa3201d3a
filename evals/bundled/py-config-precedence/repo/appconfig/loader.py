"""load_settings: merges the layers, later layers overriding earlier ones."""

import configparser

from .coerce import coerce
from .schema import SCHEMA

ENV_PREFIX = "APP_"


def _from_file(path):
    if path is None:
        return {}
    parser = configparser.ConfigParser()
    if not parser.read(path, encoding="utf-8"):
        raise FileNotFoundError(path)
    return dict(parser["app"]) if parser.has_section("app") else {}


def _from_env(environ):
    values = {}
    for key, raw in environ.items():
        if key.startswith(ENV_PREFIX):
            values[key[len(ENV_PREFIX):].lower()] = raw
    return values


def _from_cli(argv):
    values = {}
    for arg in argv:
        if not arg.startswith("--") or "=" not in arg:
            raise ValueError(f"expected --name=value, got {arg!r}")
        name, raw = arg[2:].split("=", 1)
        values[name.replace("-", "_")] = raw
    return values


def load_settings(path=None, environ=None, argv=()):
    """Settings from defaults < file < environment < command line."""
    settings = {name: s.default for name, s in SCHEMA.items()}
    layers = [_from_file(path), _from_cli(argv), _from_env(environ or {})]
    for layer in layers:
        for name, raw in layer.items():
            if name not in SCHEMA:
                raise KeyError(f"unknown setting {name!r}")
            settings[name] = coerce(SCHEMA[name], raw)
    return settings
