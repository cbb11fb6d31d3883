"""The dedupe lock: "is it stored already?" and "store it" happen under one lock, so two
concurrent sends of one event cannot both insert it.

In-process the lock is per (tenant, dedupe key): a batch holds exactly the keys of its own
ids, so two batches of one tenant wait for each other only where they share an id (a resend),
and otherwise run side by side, one decoding while the other inserts. A batch takes all of its
keys at once or waits for all of them: no partial hold, no deadlock.

When the SQL store is PostgreSQL (the distributed deployment, where several ingest processes
run), the keys' stripes are also taken as transaction-scoped advisory locks, in ascending order
and all at once, so the guarantee holds across processes too. A stripe is coarser than a key (a
batch of 1000 ids touches nearly all of them), so there one tenant's batches still queue.

A hold may be released from another thread than the one that took it.
"""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable

from sqlalchemy import Connection, Engine, text

__all__ = ["DedupeLocks", "Held", "STRIPES", "stripe_of"]

STRIPES = 64
_ADVISORY = text("SELECT pg_advisory_xact_lock(:tenant, s) "
                 "FROM (SELECT unnest(CAST(:stripes AS integer[])) AS s ORDER BY 1) AS ordered")


def stripe_of(key: int) -> int:
    return key % STRIPES


def _tenant_hash(tenant_id: str) -> int:
    """A signed 32-bit number for the tenant (the first key of the advisory lock)."""
    return int.from_bytes(hashlib.md5(tenant_id.encode()).digest()[:4], "little", signed=True)


class Held:
    """Keys held for one tenant until `release()` (idempotent)."""

    def __init__(self, locks: DedupeLocks, tenant_id: str, keys: set[int], stripes: frozenset[int],
                 conn: Connection | None) -> None:
        self.tenant_id, self.keys, self.stripes = tenant_id, keys, stripes
        self._locks: DedupeLocks | None = locks
        self._conn = conn

    def extend(self, keys: Iterable[int]) -> bool:
        """Also hold `keys` if that needs no waiting (no other batch holds one of them, and on
        PostgreSQL their stripes are held already); False leaves the hold as it was."""
        more = set(keys) - self.keys
        if self._locks is None:
            return False
        # Across processes only the advisory locks count: none taken (a batch without client
        # ids) covers nothing.
        if self._locks.cross_process and not {stripe_of(k) for k in more} <= self.stripes:
            return False
        if not self._locks._take_now(self.tenant_id, more):
            return False
        self.keys |= more
        return True

    def release(self) -> None:
        locks, self._locks = self._locks, None
        conn, self._conn = self._conn, None
        try:
            if conn is not None:
                conn.commit()  # ends the transaction: the advisory locks go with it
                conn.close()
        finally:
            if locks is not None:
                locks._give_back(self.tenant_id, self.keys)


class DedupeLocks:
    """Locks over (tenant, key); cross-process too, by stripe, on a PostgreSQL store."""

    def __init__(self, engine: Engine | None = None) -> None:
        self._mutex = threading.Lock()
        self._held: dict[str, set[int]] = {}  # tenant -> keys held by some batch
        # tenant -> (its waiters' condition, how many wait): a release wakes its own tenant's only
        self._waiting: dict[str, tuple[threading.Condition, int]] = {}
        self._engine = engine if engine is not None and engine.dialect.name == "postgresql" else None

    @property
    def cross_process(self) -> bool:
        return self._engine is not None

    def acquire(self, tenant_id: str, keys: Iterable[int]) -> Held:
        """Hold every key for the tenant (blocks until none is held by another batch)."""
        wanted = set(keys)
        with self._mutex:
            if not self._held.get(tenant_id, set()).isdisjoint(wanted):
                self._wait(tenant_id, wanted)
            self._held.setdefault(tenant_id, set()).update(wanted)
        stripes = frozenset(stripe_of(k) for k in wanted)
        conn = None
        try:
            if self._engine is not None and stripes:
                conn = self._engine.connect()
                conn.execute(_ADVISORY, {"tenant": _tenant_hash(tenant_id), "stripes": sorted(stripes)})
        except BaseException:
            if conn is not None:
                conn.close()
            self._give_back(tenant_id, wanted)
            raise
        return Held(self, tenant_id, wanted, stripes, conn)

    def _wait(self, tenant_id: str, wanted: set[int]) -> None:
        """Until no batch holds one of `wanted` (called, and returning, with the mutex held)."""
        changed, count = self._waiting.get(tenant_id) or (threading.Condition(self._mutex), 0)
        self._waiting[tenant_id] = (changed, count + 1)
        try:
            while not self._held.get(tenant_id, set()).isdisjoint(wanted):
                changed.wait()
        finally:
            changed, count = self._waiting[tenant_id]
            if count == 1:
                del self._waiting[tenant_id]
            else:
                self._waiting[tenant_id] = (changed, count - 1)

    def _take_now(self, tenant_id: str, keys: set[int]) -> bool:
        with self._mutex:
            held = self._held.setdefault(tenant_id, set())
            if not held.isdisjoint(keys):
                return False
            held |= keys
            return True

    def _give_back(self, tenant_id: str, keys: set[int]) -> None:
        with self._mutex:
            held = self._held.get(tenant_id)
            if held is not None:
                held -= keys
                if not held:
                    del self._held[tenant_id]
            waiting = self._waiting.get(tenant_id)
            if waiting is not None:
                waiting[0].notify_all()
