"""Client factory and a small pool: the chDB backend serialises calls on one client."""
from __future__ import annotations

import contextlib
import logging
import pathlib
import queue
import threading
from collections.abc import Iterator
from urllib.parse import urlparse

from libs.errors import Unavailable

__all__ = ["ClientPool", "make_client"]

log = logging.getLogger(__name__)


def make_client(dsn: str):  # noqa: ANN201 - clickhouse_connect client
    """A clickhouse-connect client for `dsn`; creates the chDB data directory if needed."""
    import clickhouse_connect

    parsed = urlparse(dsn)
    if parsed.scheme == "chdb":
        path = pathlib.Path(parsed.path or parsed.netloc)
        path.mkdir(parents=True, exist_ok=True)
        return clickhouse_connect.get_client(dsn=f"chdb://{path}")
    if parsed.scheme in ("http", "https", "clickhouse", "clickhouses"):
        return clickhouse_connect.get_client(dsn=dsn)
    raise ValueError(f"unsupported ClickHouse DSN scheme {parsed.scheme!r} (use chdb:// or http(s)://)")


class ClientPool:
    """Up to `size` clients on one DSN, created lazily, lent one per call."""

    def __init__(self, dsn: str, *, size: int = 4) -> None:
        self.dsn = dsn
        self._size = max(1, size)
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self._created = 0
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def client(self, timeout: float = 30.0) -> Iterator:
        """Borrow a client; UNAVAILABLE if the engine cannot be reached."""
        client = self._borrow(timeout)
        try:
            yield client
        finally:
            self._idle.put(client)

    def _borrow(self, timeout: float):  # noqa: ANN202
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._created < self._size:
                try:
                    client = make_client(self.dsn)
                except Exception as exc:  # engine down or unreachable; details go to the log only
                    log.warning("cannot reach the event store: %s", exc)
                    raise Unavailable("the event store is unavailable", reason="EVENT_STORE_UNAVAILABLE") from exc
                self._created += 1
                return client
        try:
            return self._idle.get(timeout=timeout)
        except queue.Empty as exc:
            raise Unavailable("event store busy", reason="EVENT_STORE_BUSY") from exc

    def close(self) -> None:
        while True:
            try:
                client = self._idle.get_nowait()
            except queue.Empty:
                return
            with contextlib.suppress(Exception):
                client.close()
