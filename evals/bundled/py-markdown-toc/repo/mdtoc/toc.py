"""Renders a nested Markdown list of links to the headings."""

from .headings import extract_headings


def render_toc(markdown, min_level=2, max_level=3):
    lines = []
    for heading in extract_headings(markdown):
        if min_level <= heading.level <= max_level:
            indent = "  " * (heading.level - min_level)
            lines.append(f"{indent}- [{heading.title}](#{heading.anchor})")
    return "\n".join(lines)
