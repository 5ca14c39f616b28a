"""Fetch the next pages of a list while the current one is written.

The sync spends its time in two places that can overlap: waiting for InProces to produce a page, and
writing the previous page to the database. A background thread reads ahead a bounded number of items;
errors are raised in the consumer at the item where they happened, in order.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def prefetch(items: Iterator[T], ahead: int = 2) -> Iterator[T]:
    """Yield what `items` yields, reading up to `ahead` items in advance in a daemon thread.

    Closing the returned generator early (break, exception, SIGTERM stop) tells the reader to stop after
    the item it is fetching; it never blocks the consumer."""
    buffer: queue.Queue[tuple[object, BaseException | None]] = queue.Queue(maxsize=max(1, ahead))
    stop = threading.Event()

    def put(entry: tuple[object, BaseException | None]) -> bool:
        while not stop.is_set():
            try:
                buffer.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for item in items:
                if not put((item, None)):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which raises it
            put((_DONE, exc))
            return
        put((_DONE, None))

    reader = threading.Thread(target=read, name="prefetch", daemon=True)
    reader.start()
    try:
        while True:
            item, error = buffer.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item  # type: ignore[misc]
    finally:
        stop.set()
