"""The sync's small building blocks: the id bitmap and the page read-ahead."""

from __future__ import annotations

import time

import pytest

from duo_zaak.sync.idset import IdSet
from duo_zaak.sync.prefetch import prefetch


def test_idset_behaves_like_a_set_of_ids() -> None:
    ids = IdSet([3, 1_000_003, 3, 0])
    ids.add(17)
    assert len(ids) == 4
    assert 3 in ids and 0 in ids and 17 in ids and 1_000_003 in ids
    assert 4 not in ids and 1_000_002 not in ids and 5_000_000 not in ids and -1 not in ids and "3" not in ids
    assert list(ids) == [0, 3, 17, 1_000_003]


def test_prefetch_yields_everything_in_order_and_reads_ahead() -> None:
    fetched: list[int] = []

    def source():
        for number in range(10):
            fetched.append(number)
            yield number

    pages = prefetch(source(), ahead=2)
    assert next(pages) == 0
    time.sleep(0.2)  # the reader fills the buffer while the consumer "writes" page 0
    assert len(fetched) >= 3
    assert [0, *pages] == list(range(10))


def test_prefetch_raises_the_error_where_it_happened() -> None:
    def source():
        yield 1
        yield 2
        raise ValueError("pagina 3 kapot")

    seen = []
    with pytest.raises(ValueError, match="pagina 3 kapot"):
        for item in prefetch(source()):
            seen.append(item)
    assert seen == [1, 2]


def test_prefetch_stops_reading_when_the_consumer_stops() -> None:
    fetched: list[int] = []

    def source():
        for number in range(1000):
            fetched.append(number)
            yield number

    pages = prefetch(source(), ahead=1)
    assert next(pages) == 0
    pages.close()
    time.sleep(0.5)
    assert len(fetched) <= 4  # one being consumed, one buffered, one waiting to be put
