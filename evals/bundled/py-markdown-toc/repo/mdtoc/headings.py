"""Finds ATX headings ('#', '##', ...) in a Markdown document."""

import re
from dataclasses import dataclass

from .anchors import anchor_for

_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    anchor: str


def extract_headings(markdown):
    headings = []
    for line in markdown.splitlines():
        match = _ATX.match(line)
        if match:
            title = match.group(2)
            headings.append(Heading(len(match.group(1)), title, anchor_for(title)))
    return headings
