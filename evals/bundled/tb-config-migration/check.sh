#!/bin/sh
# Resolved when every config file passes the schema-2 check with the settings it had before.
set -u
fail() { echo "check failed: $*" >&2; exit 1; }
python3 tools/check_config.py config/*.ini || fail "config/*.ini do not pass tools/check_config.py"
[ "$(ls config/*.ini | wc -l)" = 3 ] || fail "expected the 3 original config files"
python3 - <<'PY' || exit 1
import configparser, sys
want = {
    "billing": {("http", "port"): "8081", ("http", "timeout_seconds"): 30, ("retry", "attempts"): 3, ("retry", "backoff_seconds"): 0.25},
    "search": {("http", "port"): "8082", ("http", "timeout_seconds"): 2.5, ("retry", "attempts"): 0, ("retry", "backoff_seconds"): 0},
    "users": {("http", "port"): "8083", ("http", "timeout_seconds"): 10, ("retry", "attempts"): 5, ("retry", "backoff_seconds"): 1.5, ("cache", "ttl_seconds"): "60"},
}
for name, keys in want.items():
    p = configparser.ConfigParser()
    p.read(f"config/{name}.ini", encoding="utf-8")
    for (section, key), value in keys.items():
        got = p.get(section, key, fallback=None)
        if got is None:
            sys.exit(f"check failed: config/{name}.ini lacks [{section}] {key}")
        same = (float(got) == value) if isinstance(value, (int, float)) else got == value
        if not same:
            sys.exit(f"check failed: config/{name}.ini [{section}] {key} = {got}, expected {value}")
PY
grep -q 'errors.append(f"{path}: schema_version must be 2")' tools/check_config.py || fail "tools/ was changed"
echo "resolved"
