"""Every page a role can reach, found the way a person finds them: start at the overview and follow every link
(navigation, tiles, table rows, filters, pagers) inside the app. Downloads, the API and actions are left out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

from ..conftest import PASSWORD, USERNAMES

ROLES = ("teamleider", "programmateam", "pia", "beheerder")
# Pages that are not HTML pages of the app (downloads, machine endpoints) or that act (log out, unsubscribe).
SKIP = re.compile(r"^/(api/|static/|afmelden/|logout|healthz)|/export|\.(csv|xlsx|json)$|/vernietigingslijst"
                  r"|/rapport\.xlsx")
# Pages every role reaches but that are linked only from places the crawl might not pass first.
START = ("/overzicht", "/meldingen-per-e-mail", "/wachtwoord")
MAX_PAGES = 70

LINKS = "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"


def log_in(page, server, role: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/login")
    page.get_by_label("Gebruikersnaam").fill(USERNAMES[role])
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(server.url + "/overzicht")


def _shape(path: str, query: str) -> tuple[str, tuple[str, ...]]:
    """One visit per kind of page: numbers in the path and the values of the query parameters do not count,
    except a page number or a sort order (which only reorder what is already visited)."""
    keys = tuple(sorted({k for k, _ in parse_qsl(query) if k not in ("page", "sort", "richting")}))
    return re.sub(r"/\d+", "/N", path), keys


def crawl(page, server) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Visit the pages a logged-in role can reach; yield each path (with query) once the page has loaded."""
    queue = list(START)
    seen_shapes: set[tuple[str, tuple[str, ...]]] = set()
    visited = 0
    while queue and visited < MAX_PAGES:
        target = queue.pop(0)
        parts = urlsplit(target)
        shape = _shape(parts.path, parts.query)
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        response = page.goto(server.url + target)
        if response is None or response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited += 1
        yield target
        for href in page.evaluate(LINKS):
            link = urlsplit(href)
            if f"{link.scheme}://{link.netloc}" != server.url or SKIP.search(link.path):
                continue
            candidate = link.path + (f"?{link.query}" if link.query else "")
            if _shape(link.path, link.query) not in seen_shapes:
                queue.append(candidate)
