from textutils.slug import slugify


def test_spaces_and_case():
    assert slugify("Hello World") == "hello-world"


def test_accents_and_punctuation():
    assert slugify("  Crème brûlée!! ") == "creme-brulee"
