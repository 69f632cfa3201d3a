"""Simple ranges: comparators like '>=1.2.0 <2.0.0', caret '^1.2.3' and tilde '~1.2.3'."""

import operator

from .version import Version, parse

_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "=": operator.eq}


def _expand(token):
    if token.startswith("^"):
        low = parse(token[1:])
        if low.major > 0:
            high = Version(low.major + 1, 0, 0)
        else:
            high = Version(0, low.minor + 1, 0)
        return [(operator.ge, low), (operator.lt, high)]
    if token.startswith("~"):
        low = parse(token[1:])
        return [(operator.ge, low), (operator.lt, Version(low.major, low.minor + 1, 0))]
    for symbol in (">=", "<=", ">", "<", "="):
        if token.startswith(symbol):
            return [(_OPS[symbol], parse(token[len(symbol):]))]
    return [(operator.eq, parse(token))]


def satisfies(version, range_text):
    if isinstance(version, str):
        version = parse(version)
    checks = [c for token in range_text.split() for c in _expand(token)]
    return all(op(version, bound) for op, bound in checks)


def max_satisfying(versions, range_text):
    matching = [parse(v) for v in versions if satisfies(v, range_text)]
    return str(max(matching)) if matching else None
