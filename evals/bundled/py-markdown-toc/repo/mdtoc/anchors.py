"""GitHub-style heading anchors."""

import re

_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


def anchor_for(title):
    """'Hello, World!' -> 'hello-world': lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*|_{2,}", "", title).strip().lower()
    return _DROP.sub("", text).replace(" ", "-")
