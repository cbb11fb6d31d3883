"""The ingest rail's use cases: a machine batch, one in-app event, a quarantine replay.

Each runs the same steps over Event records: decode (format plugin) -> validate -> resolve
customers in one query -> quarantine the unresolvable -> dedupe and insert under the lock.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy import Engine

from libs.auth import Principal, PrincipalKind, visible_partner_ids
from libs.clickhouse import ClientPool
from libs.errors import InvalidArgument, NotFound
from libs.identity import load_tree
from services.ingest import limits, quarantine
from services.ingest.event import DUPLICATE, QUARANTINED, REJECTED, Event
from services.ingest.formats import format_for
from services.ingest.locks import DedupeLocks
from services.ingest.resolve import RefCache, resolve
from services.ingest.formats.native import FORMAT as NATIVE_FORMAT
from services.ingest.props import PropertyError
from services.ingest.validate import check_batch, complete, first_problem, reject
from services.ingest.writer import EventWriter

__all__ = ["IngestRail", "SOURCE_API", "SOURCE_APP"]

SOURCE_API = "api"  # sent by a partner system with a machine key
SOURCE_APP = "app"  # recorded in-app by a person

T = TypeVar("T")


def _now() -> tuple[dt.datetime, int]:
    now = dt.datetime.now(dt.timezone.utc)
    return now, int(now.timestamp() * 1000)


class IngestRail:
    """Stateless apart from its locks; one per host process."""

    def __init__(self, engine: Engine, pool: Callable[[], ClientPool]) -> None:
        self._engine = engine
        self._writer = EventWriter(pool, DedupeLocks(engine))
        self._refs = RefCache()  # customer references, valid while the tenant's customers are unchanged
        # When every batch must ask ClickHouse which ids are stored (several ingest processes:
        # no dedupe filter), that lookup runs beside the request thread: it is one long call into
        # ClickHouse that holds the GIL for little of its time. Customer resolution stays on the
        # request thread: its SQL driver gives up and retakes the GIL once per row, and beside
        # the CPU-bound payload conversion each retake waited for the interpreter's switch
        # interval (a convoy that made both several times slower than done one after the other).
        # With the filter a batch of new ids needs no lookup, and the reservation (hashing the
        # ids, taking the lock) is cheaper on the request thread than handed to another.
        self._reservers = ThreadPoolExecutor(max_workers=8, thread_name_prefix="ingest-reserve")

    def close(self) -> None:
        self._reservers.shutdown(wait=False)
        self._writer.close()

    # ---- the machine rail ------------------------------------------------------------
    def ingest(self, principal: Principal, request, size: int,  # noqa: ANN001 - an IngestEventsRequest
               respond: Callable[[list[Event]], T]) -> T:
        """`respond(events)` over the batch's per-event verdicts (a request of `size` bytes); raises
        only for a malformed or over-size envelope or an unavailable event store. The response is
        built while the insert is in flight, and returned once the insert is confirmed."""
        _check_batch(request, size)
        fmt = format_for(request.format)
        # The client event ids are locked and looked up: where every batch asks ClickHouse (no
        # dedupe filter), off this thread while it decodes, converts the payloads and resolves
        # customers (SQL) — before decoding if the format can list the ids (native); with the
        # filter, on this thread once customers are resolved. The lock (per event id) is held until
        # the insert is done: a tenant's concurrent batches wait for each other only over a shared id.
        tenant = principal.tenant_id
        background = self._writer.asks_every_batch
        early = getattr(fmt, "event_ids", None) if background else None
        reserving = self._reservers.submit(self._writer.reserve, tenant, early(request)) if early else None
        reservation = None
        try:
            events = fmt.decode(request)
            if len(events) > limits.MAX_EVENTS_PER_BATCH:
                raise _too_many(len(events))
            received, received_ms = _now()
            valid = check_batch(events, received_ms)
            ids = [ev.event_id for ev in valid if ev.event_id] if reserving is None else []
            if background and reserving is None:
                reserving = self._reservers.submit(self._writer.reserve, tenant, ids)
            self._convert_payloads(fmt, valid)
            self._resolve(principal, valid)
            reservation = reserving.result() if reserving is not None else self._writer.reserve(tenant, ids)
        finally:
            if reservation is None and reserving is not None:  # failed: never leave the lock held
                with contextlib.suppress(Exception):
                    reserving.result().release()
        try:
            valid = [ev for ev in valid if ev.status == 0]
            minted = frozenset(ev.event_id for ev in valid if complete(ev, received_ms))
            resolved = [ev for ev in valid if ev.customer_id]
            unresolved = [ev for ev in valid if not ev.customer_id]
            for ev in unresolved:
                ev.settle(QUARANTINED, "CUSTOMER_NOT_FOUND",
                          f"events[{ev.index}].customer.{ev.ref_kind}: no such customer; kept for replay")
            built = self._writer.write(reservation, resolved, received_ms=received_ms, source=SOURCE_API,
                                       actor_id=principal.id, server_ids=minted,
                                       meanwhile=lambda: _attempt(respond, events))
        finally:
            reservation.release()  # idempotent: write() has normally released it already
        quarantine.keep(self._engine, tenant, unresolved, received=received, received_ms=received_ms,
                        machine_key_id=principal.id, scope_partner_id=principal.partner_id)
        answer, error = built
        if error is not None:  # a response that failed to build fails the call once the batch is kept
            raise error
        return answer

    @staticmethod
    def _convert_payloads(fmt, events: list[Event]) -> None:  # noqa: ANN001 - an IngestFormat
        convert = fmt.properties
        for ev in events:
            payload = ev.payload
            if payload is not None:
                ev.payload = None
                try:
                    ev.properties = convert(payload)
                except PropertyError as exc:
                    reject(ev, ("INVALID_PROPERTIES", exc.where, exc.detail), f"events[{ev.index}].")

    def _resolve(self, principal: Principal, events: list[Event]) -> None:
        resolve(self._engine, principal.tenant_id, events, self._allowed(principal), self._refs)

    def _allowed(self, principal: Principal) -> frozenset[str] | None:
        """Partners whose customers the caller reaches (None: the whole tenant). A partner-bound
        key, like a partner user, reaches its partner and that partner's sub-partners."""
        if principal.is_admin or (principal.kind is PrincipalKind.MACHINE_KEY and not principal.partner_id):
            return None
        return visible_partner_ids(principal, load_tree(self._engine, principal.tenant_id))

    # ---- in-app recording --------------------------------------------------------------
    def record(self, principal: Principal, event: Event) -> Event:
        """One event for a customer in the caller's slice; errors raise (one event, one verdict)."""
        _, received_ms = _now()
        problem = first_problem(event, received_ms)
        if problem is None and event.payload is not None:
            try:
                event.properties = NATIVE_FORMAT.properties(event.payload)
            except PropertyError as exc:
                problem = ("INVALID_PROPERTIES", exc.where, exc.detail)
        if problem is not None:
            reason, field, message = problem
            where = f"event.{field}".rstrip(".")
            raise InvalidArgument(f"{where}: {message}", reason=reason, field=where)
        complete(event, received_ms)
        resolve(self._engine, principal.tenant_id, [event], self._allowed(principal), self._refs)
        if not event.customer_id:
            raise NotFound(f"event.customer.{event.ref_kind}: no such customer", reason="CUSTOMER_NOT_FOUND",
                           field=f"event.customer.{event.ref_kind}")
        self._writer.write_now(principal.tenant_id, [event], received_ms=received_ms, source=SOURCE_APP,
                               actor_id=principal.id)
        return event

    # ---- quarantine ----------------------------------------------------------------------
    def replay(self, principal: Principal, ids: Sequence[str]) -> list[Event]:
        """Move resolvable quarantined entries onto the stream, each exactly once.

        Exactly once comes from the dedupe lock: an entry carries its event id from the start,
        so a concurrent replay (or a crash before the entry is marked) finds it stored and
        reports DUPLICATE instead of inserting it again."""
        if len(ids) > limits.MAX_REPLAY_PER_CALL:
            raise InvalidArgument(f"at most {limits.MAX_REPLAY_PER_CALL} ids per call", reason="TOO_MANY_IDS",
                                  field="ids", limit=limits.MAX_REPLAY_PER_CALL)
        tenant = principal.tenant_id
        rows = quarantine.load(self._engine, tenant, list(dict.fromkeys(ids)) if ids else None,
                               limits.MAX_REPLAY_PER_CALL)
        by_id = {row.id: row for row in rows}
        wanted = list(dict.fromkeys(ids)) if ids else [row.id for row in rows]
        results: list[Event] = []
        pending: dict[tuple[str | None, str], list[tuple[Event, str]]] = {}
        for index, entry_id in enumerate(wanted):
            row = by_id.get(entry_id)
            ev = Event(index, row.event_id if row else "", row.name if row else "")
            results.append(ev)
            if row is None:
                ev.settle(REJECTED, "QUARANTINE_ENTRY_NOT_FOUND", f"ids[{index}]: no quarantined event {entry_id!r}")
            elif row.replay_time is not None:
                ev.settle(DUPLICATE, "ALREADY_REPLAYED", f"ids[{index}]: replayed already")
            else:
                ev.ref_kind, ev.ref_value, ev.ts_ms, ev.properties = row.ref_kind, row.ref_value, row.ts_ms, row.properties
                pending.setdefault((row.scope_partner_id, row.machine_key_id), []).append((ev, entry_id))
        tree = load_tree(self._engine, tenant) if any(scope for scope, _ in pending) else None
        now, now_ms = _now()
        for (scope, actor), group in pending.items():
            events = [ev for ev, _ in group]
            resolve(self._engine, tenant, events, tree.subtree(scope) if scope and tree else None, self._refs)
            resolved = [ev for ev in events if ev.customer_id]
            self._writer.write_now(tenant, resolved, received_ms=now_ms, source=SOURCE_API, actor_id=actor)
            quarantine.mark_replayed(self._engine, tenant, [entry for ev, entry in group if ev.customer_id], now)
            for ev, _ in group:
                if not ev.customer_id:
                    ev.settle(QUARANTINED, "CUSTOMER_NOT_FOUND",
                              f"customer.{ev.ref_kind}: still no such customer; the entry stays pending")
        return results


def _attempt(respond: Callable[[list[Event]], T], events: list[Event]) -> tuple[T | None, Exception | None]:
    """(respond(events), None), or (None, the exception it raised)."""
    try:
        return respond(events), None
    except Exception as exc:  # noqa: BLE001 - handed back to the request thread, raised there
        return None, exc


def _too_many(count: int) -> InvalidArgument:
    return InvalidArgument(f"the batch has {count} events; at most {limits.MAX_EVENTS_PER_BATCH} are accepted",
                           reason="TOO_MANY_EVENTS", field="events", limit=limits.MAX_EVENTS_PER_BATCH)


def _check_batch(request, size: int) -> None:  # noqa: ANN001
    """Whole-request limits, checked before any decoding work."""
    if len(request.events) > limits.MAX_EVENTS_PER_BATCH:
        raise _too_many(len(request.events))
    if size > limits.MAX_BATCH_BYTES:
        raise InvalidArgument(f"the batch is {size} bytes; at most {limits.MAX_BATCH_BYTES} are accepted",
                              reason="BATCH_TOO_LARGE", field="events", limit=limits.MAX_BATCH_BYTES)
