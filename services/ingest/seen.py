"""Which event ids may be stored already: a Bloom filter in front of the dedupe lookup.

Asking ClickHouse "which of these 1000 event ids are stored?" costs a query per batch that
reads the idempotency index (several milliseconds, about a third of the rail's own time), and
nearly always answers "none". The filter answers "certainly not" for almost every new id
without a query; only ids it reports as "maybe" are looked up.

It is exact in the one direction that matters, because every id that could be stored is in it:
- at the first batch it is filled from `event_id_index` (after the index repair of a start);
- a batch's ids are added while its insert runs, before the lock on them is released, also
  when the insert fails (part of it may have landed; extra "maybe"s cost a lookup, nothing else).
So it serves only a process that is the sole writer of the event stream: the rail uses it when
the dedupe lock is in-process (a SQLite store, one ingest process), and asks ClickHouse for every
batch when several ingest processes share a PostgreSQL store.

Sizing: about 29 MiB for 10 million ids at a 1-in-100,000 false "maybe" rate; past that the rate
grows (0.75% at twice as many) and more ids are looked up, with answers as exact as before.
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Iterable

from rbloom import Bloom

from libs.clickhouse.schema import EVENT_IDS_TABLE, dedupe_key_sql
from services.ingest.ids import dedupe_key

__all__ = ["SeenFilter", "CAPACITY", "FALSE_MAYBE_RATE"]

CAPACITY = 10_000_000
FALSE_MAYBE_RATE = 1e-5
# Each indexed id's key mixed with its tenant's salt, the same as `_salt(tenant) ^ key` below.
_LOAD = f"SELECT bitXor(key, {dedupe_key_sql('tenant_id')}) FROM {EVENT_IDS_TABLE}"
# A tenant's 64-bit salt: its own dedupe key (what ClickHouse computes in _LOAD).
_salt = functools.lru_cache(maxsize=4096)(dedupe_key)


class SeenFilter:
    """(tenant, dedupe key) pairs this process may have stored. Thread-safe."""

    def __init__(self, capacity: int = CAPACITY, false_maybe_rate: float = FALSE_MAYBE_RATE) -> None:
        self._bloom = Bloom(capacity, false_maybe_rate)
        self._lock = threading.Lock()
        self.loaded = False

    def load(self, client) -> int:  # noqa: ANN001 - a clickhouse_connect client
        """Add every indexed event id; returns how many. Call once, before the first `maybe`."""
        count = 0
        with client.query_column_block_stream(_LOAD) as blocks:
            for block in blocks:
                with self._lock:
                    self._bloom.update(block[0])
                count += len(block[0])
        self.loaded = True
        return count

    def maybe(self, tenant_id: str, keys: Iterable[int]) -> list[int]:
        """The keys that may be stored for the tenant (every one that is, and rarely others)."""
        salt = _salt(tenant_id)
        bloom = self._bloom
        with self._lock:
            return [k for k in keys if (k ^ salt) in bloom]

    def add(self, tenant_id: str, keys: Iterable[int]) -> None:
        salt = _salt(tenant_id)
        with self._lock:
            self._bloom.update([k ^ salt for k in keys])
