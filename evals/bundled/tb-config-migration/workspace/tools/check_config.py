"""Validates service configuration files against the current schema (version 2)."""

import configparser
import sys

REQUIRED = {
    "service": {"name": str, "schema_version": int},
    "http": {"port": int, "timeout_seconds": float},
    "retry": {"attempts": int, "backoff_seconds": float},
}
REMOVED = {("http", "timeout"), ("http", "retries"), ("http", "retry_backoff_ms")}


def check(path):
    errors = []
    parser = configparser.ConfigParser()
    if not parser.read(path, encoding="utf-8"):
        return [f"{path}: cannot read"]
    for section, keys in REQUIRED.items():
        if not parser.has_section(section):
            errors.append(f"{path}: missing section [{section}]")
            continue
        for key, kind in keys.items():
            if not parser.has_option(section, key):
                errors.append(f"{path}: [{section}] lacks {key}")
                continue
            try:
                kind(parser.get(section, key))
            except ValueError:
                errors.append(f"{path}: [{section}] {key} is not a {kind.__name__}")
    for section, key in REMOVED:
        if parser.has_option(section, key):
            errors.append(f"{path}: [{section}] {key} was removed in schema 2")
    if parser.has_option("service", "schema_version") and parser.get("service", "schema_version") != "2":
        errors.append(f"{path}: schema_version must be 2")
    return errors


def main(paths):
    if not paths:
        print("usage: check_config.py FILE...", file=sys.stderr)
        return 2
    errors = [e for p in paths for e in check(p)]
    for error in errors:
        print(error)
    print(f"{len(paths)} file(s), {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
