import unittest

from mdtoc import extract_headings, render_toc

DOC = """# Project

## Install

### From source

## Usage: the `run` command

Some text.
"""


class AnchorTests(unittest.TestCase):
    def test_anchor_drops_punctuation_and_code(self):
        anchors = [h.anchor for h in extract_headings(DOC)]
        self.assertEqual(anchors, ["project", "install", "from-source", "usage-the-run-command"])

    def test_closing_hashes_are_not_part_of_title(self):
        self.assertEqual(extract_headings("## Title ##")[0].title, "Title")


class RenderTests(unittest.TestCase):
    def test_renders_nested_list(self):
        self.assertEqual(render_toc(DOC), "- [Install](#install)\n  - [From source](#from-source)\n"
                                          "- [Usage: the `run` command](#usage-the-run-command)")
