"""Compiles a route like '/users/<int:id>' into a regex and its parameter converters."""

import re

from .converters import CONVERTERS

_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def compile_route(route):
    regex, converters, pos = "", {}, 0
    for match in _PARAM.finditer(route):
        regex += re.escape(route[pos:match.start()])
        conv = match.group("conv") or "str"
        if conv not in CONVERTERS:
            raise ValueError(f"unknown converter {conv!r} in {route!r}")
        fragment, func = CONVERTERS[conv]
        regex += f"(?P<{match.group('name')}>{fragment})"
        converters[match.group("name")] = func
        pos = match.end()
    regex += re.escape(route[pos:])
    return re.compile(regex), converters
