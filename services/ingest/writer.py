"""Puts resolved events on the stream: dedupe under the lock, insert (batches that wait for the
engine share one insert: services.ingest.commit), acknowledge after.

An event is ACCEPTED only once ClickHouse has confirmed the insert that holds it; any failure
of the event store raises UNAVAILABLE and nothing of the call is acknowledged. A retry then
finds the events that did land and reports them DUPLICATE. So that it can, the index of
recently received events is repaired when a process starts and after a failed insert.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TypeVar

from libs.clickhouse import ClientPool
from libs.clickhouse.schema import EVENT_COLUMNS, EVENT_IDS_TABLE, EVENTS_TABLE, reindex_recent_sql
from libs.errors import ApiError, Unavailable
from services.ingest.block import FORMAT as BLOCK_FORMAT, Columns, columns, insert_block
from services.ingest.commit import GroupCommit
from services.ingest.event import ACCEPTED, DUPLICATE, Event
from services.ingest.ids import dedupe_keys
from services.ingest.locks import DedupeLocks, Held
from services.ingest.seen import SeenFilter

__all__ = ["EventWriter", "Reservation", "REPAIR_WINDOW"]

log = logging.getLogger(__name__)

T = TypeVar("T")

_DOWN = "the event store is unavailable; nothing of this call was stored, retry later"
# How far back a starting process re-indexes (what a crashed predecessor may have left), and
# the margin before a failed insert's receive time.
REPAIR_WINDOW = dt.timedelta(hours=6)
_SKEW = dt.timedelta(minutes=1)
# A batch is small, and an insert of 1000 rows costs the engine about what one of 1 row does
# (creating the parts of the table and of its index view), so what is trimmed is per-insert work:
# - parsing on one thread (row formats would otherwise hand chunks to a parser pool);
# - the rail has already dropped in-batch duplicates, so "merge the block on insert" (which
#   collapses them for ReplacingMergeTree) has nothing to do;
# - one block is all there is: no pipeline threads, no squashing of blocks.
# Together ~20% off each insert against the defaults (bench/README.md).
_INSERT_SETTINGS = {"input_format_parallel_parsing": 0, "optimize_on_insert": 0, "max_threads": 1,
                    "min_insert_block_size_rows": 0, "min_insert_block_size_bytes": 0}
# The lookup runs beside the request thread's Python work: on one engine thread it leaves the
# other core to that work instead of competing for both.
_LOOKUP_SETTINGS = {"max_threads": 1}
# At most this many inserts in flight; batches that wait for a slot go into the next insert
# together (see services.ingest.commit), up to MAX_GROUP_EVENTS in one insert. Two slots let two
# senders insert side by side, as before group commit (measured: bench/README.md).
MAX_INSERTS_IN_FLIGHT = 2
MAX_GROUP_EVENTS = 50_000
# How long the work beside an insert waits for the insert to hand its block to the engine.
_ENGINE_HANDOFF_S = 0.0005
_LOOKUP = (f"SELECT key, customer_id, event_id FROM {EVENT_IDS_TABLE} "
           "WHERE tenant_id = {tenant:String} AND key IN {keys:Array(UInt64)}")


class Reservation:
    """Event ids of one tenant held under the dedupe lock, their dedupe keys, and which of them
    are stored (as (customer id, event id) pairs). Released by EventWriter.write, or by `release()`."""

    def __init__(self, tenant_id: str, held: Held, keys: dict[str, int], stored: set[tuple[str, str]]) -> None:
        self.tenant_id, self.held, self.keys, self.stored = tenant_id, held, keys, stored

    def key_all(self, event_ids: list[str]) -> list[int]:
        """The dedupe keys of ids not reserved yet, remembered with the others."""
        keys = dedupe_keys(event_ids)
        self.keys.update(zip(event_ids, keys))
        return keys

    def release(self) -> None:
        self.held.release()


class EventWriter:
    """Dedupe + insert for one tenant's resolved events, in two steps so that the lookup can
    run while the caller is still decoding: reserve(event ids) -> write(events)."""

    def __init__(self, pool: Callable[[], ClientPool], locks: DedupeLocks) -> None:
        self._pool = pool
        self._locks = locks
        # The filter answers "not stored" without a query; it needs this process to be the only
        # writer, which the in-process lock already assumes (see services.ingest.seen).
        self._seen = None if locks.cross_process else SeenFilter()
        self._seen_lock = threading.Lock()
        # Index repair (see libs.clickhouse.schema.reindex_recent_sql): due once at start, for
        # what a crashed predecessor may have written, and again after any failed insert.
        self._repair_since: dt.datetime | None = dt.datetime.now(dt.timezone.utc) - REPAIR_WINDOW
        self._repair_lock = threading.Lock()
        self._helpers = ThreadPoolExecutor(max_workers=8, thread_name_prefix="ingest-meanwhile")
        self.commits: GroupCommit[tuple[Columns, int]] = GroupCommit(self._insert, MAX_GROUP_EVENTS,
                                                                   MAX_INSERTS_IN_FLIGHT)

    def close(self) -> None:
        self._helpers.shutdown(wait=False)

    def _repair(self) -> None:
        """Re-index recently received events if due; Unavailable (and still due) on failure."""
        if self._repair_since is None:
            return
        with self._repair_lock:
            since = self._repair_since
            if since is None:
                return
            self._guarded(lambda client: client.command(reindex_recent_sql(), parameters={"since": since}), 0)
            if self._repair_since == since:
                self._repair_since = None
            log.info("event index repaired for events received since %s", since.isoformat())

    def _repair_later(self, since: dt.datetime) -> None:
        with self._repair_lock:
            if self._repair_since is None or since < self._repair_since:
                self._repair_since = since

    @property
    def asks_every_batch(self) -> bool:
        """Whether every batch asks ClickHouse which ids are stored (no dedupe filter)."""
        return self._seen is None

    def _load_seen(self) -> None:
        """Fill the filter from the index once, after the start's repair; Unavailable on failure."""
        seen = self._seen
        if seen is None or seen.loaded:
            return
        with self._seen_lock:
            if not seen.loaded:
                self._repair()  # what a crashed predecessor left unindexed goes into the filter too
                count = self._guarded(seen.load, 0)
                log.info("dedupe filter loaded with %d indexed event ids", count)

    def reserve(self, tenant_id: str, event_ids: Sequence[str]) -> Reservation:
        """Lock the ids and find which of them are stored; Unavailable if the store fails."""
        self._load_seen()
        ids = list(set(event_ids))
        keys = dedupe_keys(ids)
        held = self._locks.acquire(tenant_id, keys)
        try:
            stored = self._stored(tenant_id, keys)
        except BaseException:
            held.release()
            raise
        return Reservation(tenant_id, held, dict(zip(ids, keys)), stored)

    def write(self, reservation: Reservation, events: Sequence[Event], *, received_ms: int, source: str,
              actor_id: str, server_ids: frozenset[str] = frozenset(),
              meanwhile: Callable[[], T] | None = None) -> T | None:
        """Settle each event ACCEPTED or DUPLICATE, insert the new ones and release the reservation;
        raise Unavailable (nothing acknowledged) if the store fails. `server_ids` were minted just
        now: never stored.

        The verdicts are settled before the insert (a failed insert raises, so none is reported).
        While the insert is in flight (the engine works without the interpreter lock), a helper
        thread teaches the dedupe filter the inserted ids, then runs `meanwhile()`, given; both are
        done before the lock is released, and meanwhile's result is returned once the insert is
        confirmed: the caller's response is ready when the insert is."""
        try:
            new = self._settle(reservation, events, server_ids)
            if not new:
                return meanwhile() if meanwhile is not None else None
            rows = columns(reservation.tenant_id, new, received_ms, source, actor_id)
            try:
                beside = self._helpers.submit(self._beside_insert, reservation, new, meanwhile)
            except RuntimeError:  # shutting down: the helpers are gone, nothing was inserted
                raise Unavailable("the ingest service is shutting down; retry", reason="SHUTTING_DOWN") from None
            try:
                self.commits.submit((rows, received_ms), len(new))
            except BaseException:
                wait([beside])  # the filter has learned the ids (part of them may have landed)
                raise
            return beside.result()
        finally:
            reservation.release()

    def _beside_insert(self, res: Reservation, new: list[Event], meanwhile: Callable[[], T] | None) -> T | None:
        # Let the insert reach the engine first: its client writes the block to a file before,
        # and each write lets this thread take the interpreter lock and keep it (a switch
        # interval, or all of this job) while the insert waits. Once the engine runs, the lock is
        # free for this job. Measured: ~0.3 ms per 1000-event batch over starting at once.
        time.sleep(_ENGINE_HANDOFF_S)
        if self._seen is not None:
            keys = res.keys
            unknown = [ev.event_id for ev in new if ev.event_id not in keys]  # ids minted by the server
            if unknown:
                res.key_all(unknown)
            self._seen.add(res.tenant_id, [keys[ev.event_id] for ev in new])
        return meanwhile() if meanwhile is not None else None

    def write_now(self, tenant_id: str, events: Sequence[Event], *, received_ms: int, source: str,
                  actor_id: str) -> None:
        """reserve() + write() in one go."""
        self.write(self.reserve(tenant_id, [ev.event_id for ev in events]), events, received_ms=received_ms,
                   source=source, actor_id=actor_id)

    def _settle(self, res: Reservation, events: Sequence[Event], server_ids: frozenset[str]) -> list[Event]:
        """Settle every event ACCEPTED or DUPLICATE; the new ones, to insert."""
        ids = {ev.event_id for ev in events}
        if len(ids) == len(events):
            fresh = list(events)  # the usual case: no id twice in the batch (so no pair twice)
        else:
            fresh = []
            seen: set[tuple[str, str]] = set()
            for ev in events:
                ident = (ev.customer_id, ev.event_id)
                if ident in seen:
                    ev.settle(DUPLICATE, "DUPLICATE_IN_BATCH", "an earlier event of this batch has the same event id")
                    continue
                seen.add(ident)
                fresh.append(ev)
        if not fresh:
            return fresh
        missing = list(ids - res.keys.keys() - server_ids)
        if missing:  # ids known only now (content-derived): look them up too, under the lock
            keys = res.key_all(missing)
            if not res.held.extend(keys):  # another batch holds one of them: start over, waiting
                res.held.release()
                keys = list(res.keys.values())
                res.held = self._locks.acquire(res.tenant_id, keys)
                res.stored = set()
            res.stored |= self._stored(res.tenant_id, keys)
        stored = res.stored
        if not stored:  # the usual case: nothing of the batch is stored yet
            for ev in fresh:
                ev.settle(ACCEPTED)
            return fresh
        new = []
        for ev in fresh:
            if (ev.customer_id, ev.event_id) in stored:
                ev.settle(DUPLICATE, "ALREADY_STORED", "an event with this event id is stored already")
            else:
                ev.settle(ACCEPTED)
                new.append(ev)
        return new

    def _insert(self, batches: Sequence[tuple[Columns, int]]) -> None:
        """One insert of the batches (columns, receive time) into the events table; Unavailable if
        the store fails."""
        block = insert_block([rows for rows, _ in batches])
        count = sum(len(rows["event_id"]) for rows, _ in batches)
        try:
            self._guarded(lambda client: client.raw_insert(EVENTS_TABLE, column_names=list(EVENT_COLUMNS),
                                                          insert_block=block, fmt=BLOCK_FORMAT,
                                                          settings=_INSERT_SETTINGS), count)
        except Unavailable:
            # Part of the insert may have landed without its index rows: repair before
            # the next lookup, so that the client's retry is recognised.
            received_ms = min(received_ms for _, received_ms in batches)
            self._repair_later(dt.datetime.fromtimestamp(received_ms / 1000, dt.timezone.utc) - _SKEW)
            raise

    def _stored(self, tenant_id: str, keys: list[int]) -> set[tuple[str, str]]:
        """(customer id, event id) of the stored events among `keys`. Called under their lock,
        which is held until the ids inserted are in the filter (see `write`).

        A repair that is due runs first, here under the lock: a batch that waited for these ids
        may have been one whose insert failed half-way (its events stored, its index rows not)."""
        self._repair()
        if self._seen is not None:
            keys = self._seen.maybe(tenant_id, keys)
        if not keys:
            return set()
        result = self._guarded(lambda client: client.query(_LOOKUP, parameters={"tenant": tenant_id, "keys": keys},
                                                                settings=_LOOKUP_SETTINGS),
                               len(keys))
        return {(cid, eid) for _key, cid, eid in result.result_rows}

    def _guarded(self, operation: Callable, count: int):  # noqa: ANN202
        """Run one event-store call; any failure of the store becomes UNAVAILABLE."""
        try:
            with self._pool().client() as client:
                return operation(client)
        except Unavailable as exc:
            raise Unavailable(_DOWN, reason=exc.reason) from exc
        except ApiError:
            raise
        except Exception as exc:  # the event store failed: nothing of this call is acknowledged
            log.warning("event store failure, %d events not acknowledged: %s", count, exc)
            raise Unavailable(_DOWN, reason="EVENT_STORE_UNAVAILABLE") from exc
