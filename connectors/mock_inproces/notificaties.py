"""The mock's Notificaties API 1.0: kanalen, abonnementen and delivery, as a real Open Zaak 1.21 with Open
Notificaties 1.10 behave (docs/domain.md, "What a sync must keep true"):

- kanaal `zaken` exists from the start (Open Zaak registers it), with the kenmerken `bronorganisatie`, `zaaktype`,
  `zaaktype.catalogus` and `vertrouwelijkheidaanduiding`;
- creating (or changing) an abonnement first POSTs a `kanaal: "test"` notification to the callback without an
  Authorization header, which must answer 401 or 403, then with the abonnement's `auth`, which must answer 2xx;
  otherwise the abonnement is refused (400 on `callbackUrl`). `auth` is write-only: never listed;
- a change through the store's control API publishes on kanaal `zaken` (see MockStore): every abonnement whose
  filters match the kenmerken (every key equal, or `*`) gets it once, with its `auth` header;
- delivery runs in background threads, so the control call returns at once; a failed delivery (no 2xx, or no
  answer) is retried `retries` (5) times, waiting `backoff_factor` x 3, 6, 12, 24, 48 s (at most `backoff_max`,
  48 s: "up to 48 s apart"); tests make the factor small;
- faults: `drop_next=N` / `drop_rate` (a delivery lost, never sent), `delay_ms` (every delivery starts that much
  later), `duplicate_next=N` (sent twice).
`deliveries` keeps every delivery with the status of each attempt (None: no answer), for tests and benchmarks.
"""

from __future__ import annotations

import heapq
import itertools
import json
import random
import threading
import time
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests

PREFIX = "/notificaties/api/v1"
KANAAL_FILTERS = ("bronorganisatie", "zaaktype", "zaaktype.catalogus", "vertrouwelijkheidaanduiding")
WORKERS = 4


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_message() -> dict[str, Any]:
    """The notification Open Notificaties sends to verify a callback."""
    return {"kanaal": "test", "hoofdObject": "http://some.example.com", "resource": "test",
            "resourceUrl": "http://some.example.com", "actie": "create", "aanmaakdatum": now_iso(), "kenmerken": {}}


def matches(filters: dict[str, str], kenmerken: dict[str, str]) -> bool:
    return all(value == "*" or kenmerken.get(key) == value for key, value in filters.items())


@dataclass
class Delivery:
    """One notification to one callback; `statuses` holds the answer of every attempt (None: no answer)."""

    callback: str
    auth: str | None
    body: dict[str, Any]
    statuses: list[int | None] = field(default_factory=list)
    delivered: bool = False
    done: bool = False
    lost: bool = False  # dropped by a fault: never sent


@dataclass
class DeliveryFaults:
    drop_next: int = 0
    drop_rate: float = 0.0
    delay_ms: int = 0
    duplicate_next: int = 0


class Notificaties:
    """Kanalen, abonnementen and the delivery queue of one mock. Thread-safe."""

    def __init__(self, *, retries: int = 5, backoff_factor: float = 1.0, backoff_max: float = 48.0,
                 timeout: float = 5.0, seed: int = 0) -> None:
        self.retries, self.backoff_factor, self.backoff_max = retries, backoff_factor, backoff_max
        self.timeout = timeout
        self.kanalen: dict[str, dict[str, Any]] = {}
        self.abonnementen: dict[str, dict[str, Any]] = {}
        self.deliveries: list[Delivery] = []
        self.faults = DeliveryFaults()
        self._rng = random.Random(seed)
        self._lock = threading.Condition()
        self._heap: list[tuple[float, int, Delivery]] = []
        self._order = itertools.count()
        self._busy = 0
        self._threads: list[threading.Thread] = []
        self._stopping = False
        self._local = threading.local()  # a requests.Session per thread
        self.add_kanaal("zaken", list(KANAAL_FILTERS), "https://vng-realisatie.github.io/gemma-zaken/")

    # -- settings ---------------------------------------------------------------------------------------------
    def configure(self, *, retries: int | None = None, backoff_factor: float | None = None,
                  backoff_max: float | None = None, timeout: float | None = None) -> None:
        with self._lock:
            if retries is not None:
                self.retries = max(0, int(retries))
            if backoff_factor is not None:
                self.backoff_factor = max(0.0, float(backoff_factor))
            if backoff_max is not None:
                self.backoff_max = max(0.0, float(backoff_max))
            if timeout is not None:
                self.timeout = max(0.1, float(timeout))

    def set_faults(self, *, drop_next: int | None = None, drop_rate: float | None = None,
                   delay_ms: int | None = None, duplicate_next: int | None = None) -> None:
        """Change what is given, keep the rest (see the module docstring)."""
        with self._lock:
            if drop_next is not None:
                self.faults.drop_next = max(0, int(drop_next))
            if drop_rate is not None:
                if not 0 <= float(drop_rate) <= 1:
                    raise ValueError(f"drop_rate ligt tussen 0 en 1, niet {drop_rate!r}")
                self.faults.drop_rate = float(drop_rate)
            if delay_ms is not None:
                self.faults.delay_ms = max(0, int(delay_ms))
            if duplicate_next is not None:
                self.faults.duplicate_next = max(0, int(duplicate_next))

    def clear_faults(self) -> None:
        with self._lock:
            self.faults = DeliveryFaults()

    def settings(self) -> dict[str, Any]:
        with self._lock:
            return {"retries": self.retries, "backoff_factor": self.backoff_factor, "backoff_max": self.backoff_max,
                    "drop_next": self.faults.drop_next, "drop_rate": self.faults.drop_rate,
                    "delay_ms": self.faults.delay_ms, "duplicate_next": self.faults.duplicate_next}

    def retry_wait(self, attempt: int) -> float:
        """Seconds before retry `attempt` (0: the first retry): factor x 3 x 2^attempt, capped."""
        return min(self.backoff_factor * 3 * 2**attempt, self.backoff_max)

    # -- kanalen and abonnementen ------------------------------------------------------------------------------
    def add_kanaal(self, naam: str, filters: list[str], documentatie: str = "") -> dict[str, Any]:
        key = str(uuidlib.uuid4())
        kanaal = {"uuid": key, "naam": naam, "documentatieLink": documentatie, "filters": list(filters)}
        with self._lock:
            self.kanalen[key] = kanaal
        return kanaal

    def kanaal_named(self, naam: str) -> dict[str, Any] | None:
        with self._lock:
            return next((k for k in self.kanalen.values() if k["naam"] == naam), None)

    def save_abonnement(self, key: str | None, callback: str, auth: str, kanalen: list[dict[str, Any]]) -> str:
        key = key or str(uuidlib.uuid4())
        with self._lock:
            self.abonnementen[key] = {"uuid": key, "callbackUrl": callback, "auth": auth, "kanalen": kanalen}
        return key

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def verify_callback(self, callback: str, auth: str) -> str | None:
        """Open Notificaties' check of a new callback; None when it passes, else the (Dutch) reason."""
        try:
            without = self._session().post(callback, json=test_message(), timeout=self.timeout)
            if without.status_code not in (401, 403):
                return (f"De callback-URL moet een notificatie zonder Authorization-header weigeren met 401 of 403, "
                        f"maar gaf {without.status_code}.")
            with_auth = self._session().post(callback, json=test_message(), headers={"Authorization": auth},
                                           timeout=self.timeout)
        except requests.RequestException as exc:
            return f"De callback-URL is niet bereikbaar: {type(exc).__name__}."
        if not 200 <= with_auth.status_code < 300:
            return f"De callback-URL weigerde de testnotificatie met de Authorization-header: {with_auth.status_code}."
        return None

    # -- publishing and delivery -------------------------------------------------------------------------------
    def has_abonnementen(self) -> bool:
        with self._lock:
            return bool(self.abonnementen)

    def publish(self, message: dict[str, Any]) -> int:
        """Route a message to every matching abonnement (in the background); returns the deliveries made."""
        kenmerken = message.get("kenmerken") or {}
        with self._lock:
            targets = [a for a in self.abonnementen.values()
                       if any(group.get("naam") == message.get("kanaal") and matches(group.get("filters") or {},
                                                                                        kenmerken)
                              for group in a["kanalen"])]
            count = 0
            for abonnement in targets:
                copies = 1
                if self.faults.duplicate_next:
                    self.faults.duplicate_next -= 1
                    copies = 2
                for _ in range(copies):
                    delivery = Delivery(abonnement["callbackUrl"], abonnement["auth"], message)
                    self.deliveries.append(delivery)
                    count += 1
                    if self.faults.drop_next or (self.faults.drop_rate and self._rng.random() < self.faults.drop_rate):
                        self.faults.drop_next = max(0, self.faults.drop_next - 1)
                        delivery.lost = delivery.done = True
                        continue
                    self._schedule(delivery, self.faults.delay_ms / 1000)
            return count

    def zaak_events(self, base_url: str | None, zaak: dict[str, Any], zaaktype: dict[str, Any] | None,
                    events: list[tuple[str, str, str]]) -> None:
        """Publish `(resource, actie, resource path)` events about a zaak (host-free paths) on kanaal zaken."""
        if base_url is None or not self.has_abonnementen():
            return

        def absolute(value: Any) -> str:
            return f"{base_url}{value}" if isinstance(value, str) and value.startswith("/") else (value or "")

        kenmerken = {"bronorganisatie": zaak.get("bronorganisatie") or "", "zaaktype": absolute(zaak.get("zaaktype")),
                     "zaaktype.catalogus": absolute((zaaktype or {}).get("catalogus")),
                     "vertrouwelijkheidaanduiding": zaak.get("vertrouwelijkheidaanduiding") or "openbaar"}
        for resource, actie, path in events:
            self.publish({"kanaal": "zaken", "hoofdObject": absolute(zaak["url"]), "resource": resource,
                          "resourceUrl": absolute(path), "actie": actie, "aanmaakdatum": now_iso(),
                          "kenmerken": kenmerken})

    def _schedule(self, delivery: Delivery, delay: float) -> None:
        """(Under the lock.) Queue an attempt `delay` seconds from now; start the workers on first use."""
        heapq.heappush(self._heap, (time.monotonic() + delay, next(self._order), delivery))
        if not self._threads:
            self._threads = [threading.Thread(target=self._work, name=f"mock-notificaties-{n}", daemon=True)
                             for n in range(WORKERS)]
            for thread in self._threads:
                thread.start()
        self._lock.notify_all()

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._stopping and (not self._heap or self._heap[0][0] > time.monotonic()):
                    self._lock.wait(None if not self._heap else max(0.0, self._heap[0][0] - time.monotonic()))
                if self._stopping:
                    return
                _, _, delivery = heapq.heappop(self._heap)
                self._busy += 1
            status = self._post(delivery)
            with self._lock:
                self._busy -= 1
                delivery.statuses.append(status)
                if status is not None and 200 <= status < 300:
                    delivery.delivered = delivery.done = True
                elif len(delivery.statuses) > self.retries:
                    delivery.done = True
                else:
                    self._schedule(delivery, self.retry_wait(len(delivery.statuses) - 1))
                self._lock.notify_all()

    def _post(self, delivery: Delivery) -> int | None:
        headers = {"Content-Type": "application/json"}
        if delivery.auth:
            headers["Authorization"] = delivery.auth
        try:
            response = self._session().post(delivery.callback, data=json.dumps(delivery.body).encode(), headers=headers,
                                          timeout=self.timeout)
        except requests.RequestException:
            return None
        response.close()
        return response.status_code

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until every delivery is done (delivered, given up or lost); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            return self._lock.wait_for(lambda: not self._heap and not self._busy, max(0.0, deadline - time.monotonic()))

    def close(self) -> None:
        with self._lock:
            self._stopping = True
            self._heap.clear()
            self._lock.notify_all()
        for thread in self._threads:
            thread.join(timeout=self.timeout + 1)
