"""The dedupe lock: "is it stored already?" and "store it" happen under one lock keyed by
(tenant, event id stripe), so two concurrent sends of one event cannot both insert it.

In-process, a fixed array of striped locks. When the SQL store is PostgreSQL (the
distributed deployment, where several ingest processes run), the same stripes are also
taken as transaction-scoped advisory locks, so the guarantee holds across processes too.
Locks are always taken in ascending order, all at once: no deadlock between batches.
A hold may be released from another thread than the one that took it (the rail takes it
in the background while it decodes).
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import threading
from collections.abc import Iterable, Iterator

from sqlalchemy import Connection, Engine, text

__all__ = ["DedupeLocks", "Held", "STRIPES", "stripe_of"]

STRIPES = 64
_SLOTS = 4096  # in-process locks; each (tenant, stripe) hashes to one of them
_ADVISORY = text("SELECT pg_advisory_xact_lock(:tenant, s) "
                 "FROM (SELECT unnest(CAST(:stripes AS integer[])) AS s ORDER BY 1) AS ordered")


def stripe_of(key: int) -> int:
    return key % STRIPES


@functools.lru_cache(maxsize=4096)
def _slots(tenant_id: str) -> tuple[int, ...]:
    """The in-process lock slot of each of the tenant's stripes, spread by hashing so that two
    tenants share few slots (and so rarely wait for each other)."""
    return tuple(int.from_bytes(hashlib.md5(f"{tenant_id}\x00{s}".encode()).digest()[:4], "little") % _SLOTS
                 for s in range(STRIPES))


def _tenant_hash(tenant_id: str) -> int:
    """A signed 32-bit number for the tenant (the first key of the advisory lock)."""
    return int.from_bytes(hashlib.md5(tenant_id.encode()).digest()[:4], "little", signed=True)


class Held:
    """Stripes held for one tenant until `release()` (idempotent)."""

    def __init__(self, stripes: frozenset[int], locks: list[threading.Lock], conn: Connection | None) -> None:
        self.stripes = stripes
        self._locks = locks
        self._conn = conn

    def covers(self, keys: Iterable[int]) -> bool:
        return all(stripe_of(k) in self.stripes for k in keys)

    def release(self) -> None:
        conn, self._conn = self._conn, None
        try:
            if conn is not None:
                conn.commit()  # ends the transaction: the advisory locks go with it
                conn.close()
        finally:
            locks, self._locks = self._locks, []
            for lock in reversed(locks):
                lock.release()


class DedupeLocks:
    """Locks over (tenant, key stripe); cross-process too on a PostgreSQL store."""

    def __init__(self, engine: Engine | None = None) -> None:
        self._locks = [threading.Lock() for _ in range(_SLOTS)]
        self._engine = engine if engine is not None and engine.dialect.name == "postgresql" else None

    @property
    def cross_process(self) -> bool:
        return self._engine is not None

    def acquire(self, tenant_id: str, keys: Iterable[int]) -> Held:
        """Hold every stripe of `keys` for the tenant (blocks until all are free)."""
        stripes = sorted({stripe_of(k) for k in keys})
        tenant = _tenant_hash(tenant_id)
        taken: list[threading.Lock] = []
        conn = None
        try:
            slots = _slots(tenant_id)
            for slot in sorted({slots[s] for s in stripes}):
                self._locks[slot].acquire()
                taken.append(self._locks[slot])
            if self._engine is not None and stripes:
                conn = self._engine.connect()
                conn.execute(_ADVISORY, {"tenant": tenant, "stripes": stripes})
        except BaseException:
            if conn is not None:
                conn.close()
            for lock in reversed(taken):
                lock.release()
            raise
        return Held(frozenset(stripes), taken, conn)

    @contextlib.contextmanager
    def hold(self, tenant_id: str, keys: Iterable[int]) -> Iterator[Held]:
        held = self.acquire(tenant_id, keys)
        try:
            yield held
        finally:
            held.release()
