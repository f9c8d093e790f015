from claimmap.linking.claims import components


def test_components_join_links_and_keep_singletons() -> None:
    assert components([1, 2, 3, 4, 5], [(1, 2), (2, 4)]) == [[1, 2, 4], [3], [5]]


def test_components_are_order_independent() -> None:
    a = components([5, 4, 3, 2, 1], [(4, 2), (2, 1), (3, 5)])
    b = components([1, 2, 3, 4, 5], [(5, 3), (1, 2), (2, 4)])
    assert a == b == [[1, 2, 4], [3, 5]]


def test_components_empty() -> None:
    assert components([], []) == []
