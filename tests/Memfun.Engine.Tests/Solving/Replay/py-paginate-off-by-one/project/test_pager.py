from pager import paginate


def test_first_page():
    assert paginate(list(range(10)), 1, 3) == [1, 2, 3]
