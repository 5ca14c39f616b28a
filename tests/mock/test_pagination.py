"""Pagination like Open Zaak/DRF: {count, next, previous, results}, absolute links that keep the query,
pageSize (default 100, max 500), 404 "Ongeldige pagina." past the end, newest-created first."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from connectors.mock_inproces.testing import RunningMock, running_mock

from .conftest import PEILDATUM, SECRET, get

ZAKEN = "/zaken/api/v1/zaken"


def test_following_next_visits_every_zaak_once_in_creation_order(mock: RunningMock) -> None:
    response = get(mock, ZAKEN)
    first = response.json()
    assert list(first) == ["count", "next", "previous", "results"]
    assert len(first["results"]) == 100 and first["previous"] is None
    assert first["next"] == f"{mock.base_url}{ZAKEN}?page=2"
    seen, pages = [], 0
    url: str | None = mock.base_url + ZAKEN
    while url:
        page = get(mock, url).json()
        seen += [z["url"] for z in page["results"]]
        url, pages = page["next"], pages + 1
    assert pages == 4 and len(seen) == len(set(seen)) == first["count"] == mock.store.count_zaken()
    # newest created first: the generator creates zaken in registration order
    registered = [get(mock, u).json()["registratiedatum"] for u in seen[::40]]
    assert registered == sorted(registered, reverse=True)


def test_links_keep_the_filters_sorted_and_drop_page_1(mock: RunningMock) -> None:
    params = {"pageSize": 7, "archiefstatus": "nog_te_archiveren"}
    page2 = get(mock, ZAKEN, {**params, "page": 2}).json()
    base = f"{mock.base_url}{ZAKEN}?"
    assert page2["previous"] == base + "archiefstatus=nog_te_archiveren&pageSize=7"
    assert page2["next"] == base + "archiefstatus=nog_te_archiveren&page=3&pageSize=7"
    zaaktype = f"{mock.catalogi_url}/zaaktypen/x"
    response = get(mock, ZAKEN, {"zaaktype": zaaktype, "pageSize": 1})
    assert response.json()["count"] == 0 and response.json()["next"] is None


@pytest.mark.parametrize(("page_size", "expected"), [("7", 7), ("500", 400), ("501", 400), ("0", 100),
                                                     ("-3", 100), ("veel", 100)])
def test_page_size(mock: RunningMock, page_size: str, expected: int) -> None:
    assert len(get(mock, ZAKEN, {"pageSize": page_size}).json()["results"]) == expected


@pytest.mark.parametrize("page", ["5", "0", "-1", "twee"])
def test_a_page_past_the_end_is_404(mock: RunningMock, page: str) -> None:
    response = get(mock, ZAKEN, {"page": page})
    assert response.status_code == 404
    assert response.json()["detail"] == "Ongeldige pagina."


def test_last_page_and_empty_lists(mock: RunningMock) -> None:
    last = get(mock, ZAKEN, {"page": "last", "pageSize": 150}).json()
    assert len(last["results"]) == 100 and last["next"] is None
    assert last["previous"] == f"{mock.base_url}{ZAKEN}?page=2&pageSize=150"
    empty = get(mock, ZAKEN, {"identificatie": "bestaat-niet"})
    assert empty.status_code == 200 and empty.json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert get(mock, ZAKEN, {"identificatie": "bestaat-niet", "page": 2}).status_code == 404


def test_catalogi_lists_paginate_too(mock: RunningMock) -> None:
    first = get(mock, "/catalogi/api/v1/statustypen", {"pageSize": 50}).json()
    assert first["next"] == f"{mock.catalogi_url}/statustypen?page=2&pageSize=50"
    rest = get(mock, first["next"]).json()["results"]
    assert len({s["url"] for s in first["results"] + rest}) == len(first["results"]) + len(rest)


def test_direct_and_sequential_paging_agree(mock: RunningMock) -> None:
    """Following `next` continues after the previous page (a bookmark); asking a page directly counts rows."""
    for params in ({"pageSize": 30}, {"pageSize": 30, "archiefstatus": "gearchiveerd"},
                   {"pageSize": 5, "archiefactiedatum__lt": PEILDATUM.isoformat()}):
        sequential = []
        url: str | None = mock.base_url + ZAKEN
        query: dict | None = params
        while url:
            page = get(mock, url, query).json()
            sequential.append([z["url"] for z in page["results"]])
            url, query = page["next"], None
        direct = [[z["url"] for z in get(mock, ZAKEN, {**params, "page": n}).json()["results"]]
                  for n in range(len(sequential), 0, -1)]
        assert direct[::-1] == sequential


def test_a_new_zaak_shifts_the_pages_like_on_the_real_server() -> None:
    with running_mock(zaken=30, peildatum=PEILDATUM, secret=SECRET) as mock:
        page1 = get(mock, ZAKEN, {"pageSize": 10}).json()
        mock.store.add_zaak(zaaktype=page1["results"][0]["zaaktype"], bronorganisatie="002564440",
                            startdatum=date(2026, 11, 28))
        page2 = get(mock, page1["next"]).json()
        assert page2["count"] == 31
        assert page2["results"][0]["url"] == page1["results"][-1]["url"]  # seen twice: de-duplicate by URL


def test_concurrent_readers_and_a_writer() -> None:
    with running_mock(zaken=120, peildatum=PEILDATUM, secret=SECRET) as mock:
        uuids = mock.store.zaak_uuids(limit=20)

        def read(page: int) -> int:
            response = get(mock, ZAKEN, {"pageSize": 10, "page": page % 12 + 1})
            return response.status_code

        with ThreadPoolExecutor(max_workers=6) as pool:
            reads = pool.map(read, range(60))
            for number, uuid in enumerate(uuids):
                mock.store.update_zaak(uuid, omschrijving=f"Gewijzigd {number}")
            assert set(reads) == {200}
        assert get(mock, f"{ZAKEN}/{uuids[-1]}").json()["omschrijving"] == "Gewijzigd 19"
