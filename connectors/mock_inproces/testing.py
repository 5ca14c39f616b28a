"""The mock InProces in a test: `with running_mock() as mock:` serves it on a free port in a thread.

    with running_mock(zaken=200, seed=42) as mock:          # generated data
        requests.get(mock.zaken_url + "/zaken", headers=mock.headers())
        mock.store.close_zaak(uuid, einddatum=date.today(), resultaattype_url=...)
    with running_mock(data=dataset, fail_next=2) as mock:   # a given dataset, faults as keywords
        ...
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jwt

from .cli import today
from .resources import CATALOGI_PREFIX, ZAKEN_PREFIX
from .server import serve
from .store import MockStore


def make_token(client_id: str, secret: str, **claims: Any) -> str:
    """A JWT the mock accepts (`iat` a few seconds in the past); `claims` override or add claims."""
    payload = {"iss": client_id, "client_id": client_id, "iat": int(time.time()) - 5, "user_id": "test",
               "user_representation": "test", **claims}
    return jwt.encode(payload, secret, algorithm="HS256")


@dataclass
class RunningMock:
    base_url: str
    client_id: str
    secret: str
    store: MockStore

    @property
    def zaken_url(self) -> str:
        return f"{self.base_url}{ZAKEN_PREFIX}"

    @property
    def catalogi_url(self) -> str:
        return f"{self.base_url}{CATALOGI_PREFIX}"

    def headers(self, **claims: Any) -> dict[str, str]:
        """Request headers a ZGW client sends: a fresh JWT and `Accept-Crs`."""
        return {"Authorization": f"Bearer {make_token(self.client_id, self.secret, **claims)}",
                "Accept-Crs": "EPSG:4326"}


@contextmanager
def running_mock(
    data: dict[str, Any] | None = None, seed: int = 42, zaken: int = 200, peildatum: date | None = None,
    client_id: str = "duo-zaak-test", secret: str = "test-secret", **faults: Any,
) -> Iterator[RunningMock]:
    """Serve generated data (seed, zaken, peildatum) or `data` on 127.0.0.1 with a database in a temp dir;
    `faults` are `MockStore.set_faults` settings (fail_rate=0.1, slow_ms=50, fail_next=2, ...)."""
    with tempfile.TemporaryDirectory(prefix="mock-inproces-") as folder:
        path = Path(folder) / "inproces.sqlite3"
        if data is not None:
            store = MockStore.from_dataset(path, data)
        else:
            store = MockStore.generated(path, seed=seed, zaken=zaken, peildatum=peildatum or today())
        store.set_faults(**faults)
        server = serve(store, {client_id: secret}, "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="mock-inproces", daemon=True)
        thread.start()
        try:
            yield RunningMock(store.base_url, client_id, secret, store)
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
            store.close()
