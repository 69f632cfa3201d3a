"""Path parameter converters: a regex fragment and a function to convert the matched text."""

CONVERTERS = {
    "str": (r"[^/]+", str),
    "int": (r"\d+", int),
    "path": (r".+", str),
}
