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

Sizing: the filter grows in layers, as a scalable Bloom filter does. The first layer holds 10
million ids at a 1-in-100,000 false "maybe" rate (about 29 MiB); when a layer is full the next
one, twice as large and with half the rate, takes the new ids, so the rate over all layers stays
below 2 in 100,000 however many ids there are. A single fixed-size filter would instead fill up:
at twice its capacity a false "maybe" is 0.75% per id, and nearly every batch of 1000 would be
looked up again. Growth stops at MAX_BYTES (about 70 million ids); past that the last layer
over-fills and more ids are looked up, with answers as exact as before.
"""
from __future__ import annotations

import functools
import math
import threading
from collections.abc import Iterable, Sequence

from rbloom import Bloom

from libs.clickhouse.schema import EVENT_IDS_TABLE, dedupe_key_sql
from services.ingest.ids import dedupe_key

__all__ = ["SeenFilter", "CAPACITY", "FALSE_MAYBE_RATE", "MAX_BYTES"]

CAPACITY = 10_000_000  # ids of the first layer
FALSE_MAYBE_RATE = 1e-5  # of the first layer; each next layer has half its predecessor's
MAX_BYTES = 256 << 20  # layers are added while the filter stays within this
# Each indexed id's key mixed with its tenant's salt, the same as `_salt(tenant) ^ key` below.
_LOAD = f"SELECT bitXor(key, {dedupe_key_sql('tenant_id')}) FROM {EVENT_IDS_TABLE}"
# A tenant's 64-bit salt: its own dedupe key (what ClickHouse computes in _LOAD).
_salt = functools.lru_cache(maxsize=4096)(dedupe_key)


def _bloom_bytes(capacity: int, rate: float) -> int:
    """The size of an optimal Bloom filter for `capacity` ids at `rate` (as rbloom sizes one)."""
    return math.ceil(-capacity * math.log(rate) / math.log(2) ** 2 / 8)


class SeenFilter:
    """(tenant, dedupe key) pairs this process may have stored. Thread-safe."""

    def __init__(self, capacity: int = CAPACITY, false_maybe_rate: float = FALSE_MAYBE_RATE,
                 max_bytes: int = MAX_BYTES) -> None:
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        self._layers: list[Bloom] = []
        self._capacity, self._rate = capacity, false_maybe_rate  # of the next layer
        self._room = 0  # ids the newest layer takes before the next is due
        self._grow()
        self.loaded = False

    @property
    def layers(self) -> int:
        return len(self._layers)

    @property
    def size_in_bytes(self) -> int:
        return sum(layer.size_in_bits for layer in self._layers) // 8

    def _grow(self) -> None:
        """Start the next layer if it fits in MAX_BYTES (called with the lock held, or from __init__)."""
        if self._layers and self.size_in_bytes + _bloom_bytes(self._capacity, self._rate) > self._max_bytes:
            self._room = -1  # no more layers: the newest one over-fills
            return
        self._layers.append(Bloom(self._capacity, self._rate))
        self._room = self._capacity
        self._capacity, self._rate = self._capacity * 2, self._rate / 2

    def load(self, client) -> int:  # noqa: ANN001 - a clickhouse_connect client
        """Add every indexed event id; returns how many. Call once, before the first `maybe`."""
        count = 0
        with client.query_column_block_stream(_LOAD) as blocks:
            for block in blocks:
                with self._lock:
                    self._update(block[0])
                count += len(block[0])
        self.loaded = True
        return count

    def maybe(self, tenant_id: str, keys: Iterable[int]) -> list[int]:
        """The keys that may be stored for the tenant (every one that is, and rarely others)."""
        salt = _salt(tenant_id)
        with self._lock:
            if len(self._layers) == 1:  # the usual case
                bloom = self._layers[0]
                return [k for k in keys if (k ^ salt) in bloom]
            layers = self._layers[::-1]  # the newest first: it holds the latest ids
            return [k for k in keys if any((k ^ salt) in layer for layer in layers)]

    def add(self, tenant_id: str, keys: Iterable[int]) -> None:
        salt = _salt(tenant_id)
        with self._lock:
            self._update([k ^ salt for k in keys])

    def _update(self, salted: Sequence[int]) -> None:
        """Add salted keys to the newest layer, starting new layers as layers fill."""
        while len(salted) > self._room >= 0:
            room = self._room
            self._layers[-1].update(salted[:room])
            salted = salted[room:]
            self._grow()
        self._layers[-1].update(salted)
        if self._room > 0:
            self._room -= len(salted)
