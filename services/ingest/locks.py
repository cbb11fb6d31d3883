"""The dedupe lock: "is it stored already?" and "store it" happen under one lock keyed by
(tenant, dedupe key stripe), so two concurrent sends of one event cannot both insert it.

In-process, a fixed array of striped locks. When the SQL store is PostgreSQL (the
distributed deployment, where several ingest processes run), the same stripes are also
taken as transaction-scoped advisory locks, so the guarantee holds across processes too.
Stripes are always taken in ascending order: no deadlock between batches.
"""
from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterable, Iterator

from sqlalchemy import Engine, text

__all__ = ["DedupeLocks", "STRIPES"]

STRIPES = 64
_SLOTS = 1024  # in-process locks, shared by all tenants' stripes


def _tenant_hash(tenant_id: str) -> int:
    """A signed 32-bit number for the tenant (the first key of the advisory lock)."""
    return int.from_bytes(hashlib.md5(tenant_id.encode()).digest()[:4], "little", signed=True)


class DedupeLocks:
    """Locks over (tenant, key % STRIPES); cross-process too on a PostgreSQL store."""

    def __init__(self, engine: Engine | None = None) -> None:
        self._locks = [threading.Lock() for _ in range(_SLOTS)]
        self._engine = engine if engine is not None and engine.dialect.name == "postgresql" else None

    @property
    def cross_process(self) -> bool:
        return self._engine is not None

    @contextlib.contextmanager
    def hold(self, tenant_id: str, keys: Iterable[int]) -> Iterator[None]:
        stripes = sorted({key % STRIPES for key in keys})
        tenant = _tenant_hash(tenant_id)
        slots = sorted({(tenant * STRIPES + s) % _SLOTS for s in stripes})
        taken: list[threading.Lock] = []
        try:
            for slot in slots:
                self._locks[slot].acquire()
                taken.append(self._locks[slot])
            if self._engine is None:
                yield
            else:
                with self._engine.connect() as conn, conn.begin():
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(:tenant, s) "
                             "FROM (SELECT unnest(CAST(:stripes AS integer[])) AS s ORDER BY 1) AS ordered"),
                        {"tenant": tenant, "stripes": stripes},
                    )
                    yield
        finally:
            for lock in reversed(taken):
                lock.release()
