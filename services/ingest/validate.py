"""Per-event checks and defaults. A failing event is rejected on its own, with a reason and a
message naming the field; the rest of the batch goes on."""
from __future__ import annotations

import re

from services.ingest import limits
from services.ingest.event import REJECTED, Event
from services.ingest.ids import content_event_id, server_event_id

__all__ = ["check_batch", "complete", "reject", "first_problem"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MAX_FUTURE_MS = int(limits.MAX_FUTURE.total_seconds() * 1000)


_GOOD_NAMES: set[str] = set()  # names seen valid: a handful, repeated in every batch


def _good_name(name: str) -> bool:
    if len(name) > limits.MAX_NAME_CHARS or _CONTROL.search(name):
        return False
    if len(_GOOD_NAMES) < 10_000:
        _GOOD_NAMES.add(name)
    return True


def first_problem(ev: Event, now_ms: int) -> tuple[str, str, str] | None:
    """(reason, field, message) of the first thing wrong with `ev`, or None."""
    if ev.error is not None:
        return ev.error
    if ev.size > limits.MAX_EVENT_BYTES:
        return ("EVENT_TOO_LARGE", "", f"the event is {ev.size} bytes; at most {limits.MAX_EVENT_BYTES} are accepted")
    if not ev.name.strip():
        return ("NAME_MISSING", "name", "is required")
    if ev.name not in _GOOD_NAMES and not _good_name(ev.name):
        return ("NAME_INVALID", "name", f"must be at most {limits.MAX_NAME_CHARS} characters, without control "
                                        "characters")
    if not ev.ref_kind or not ev.ref_value.strip():
        return ("CUSTOMER_REF_MISSING", "customer", "is required: one of customer_id, external_id or email")
    if len(ev.ref_value) > limits.MAX_REF_CHARS:
        return ("CUSTOMER_REF_INVALID", f"customer.{ev.ref_kind}",
                f"must be at most {limits.MAX_REF_CHARS} characters")
    if not ev.ref_value.isprintable() and _CONTROL.search(ev.ref_value.strip()):  # around it: trimmed (emails)
        return ("CUSTOMER_REF_INVALID", f"customer.{ev.ref_kind}", "must not contain control characters")
    if len(ev.event_id) > limits.MAX_EVENT_ID_CHARS or (
            not ev.event_id.isprintable() and _CONTROL.search(ev.event_id)):  # isprintable: the fast path
        return ("EVENT_ID_INVALID", "event_id", f"must be at most {limits.MAX_EVENT_ID_CHARS} characters, "
                                                "without control characters")
    if ev.ts_ms is not None:
        if ev.ts_ms < limits.MIN_TIMESTAMP_MS:
            return ("TIMESTAMP_TOO_OLD", "timestamp", "must not be before 1970-01-01T00:00:00Z")
        if ev.ts_ms > now_ms + _MAX_FUTURE_MS:
            return ("TIMESTAMP_IN_FUTURE", "timestamp",
                    f"is more than {_MAX_FUTURE_MS // 60_000} minutes ahead of the receive time")
    return None


def check_batch(events: list[Event], now_ms: int) -> list[Event]:
    """The valid events of a batch; each invalid one is rejected with a message naming its
    field as `events[i].field` (written only for the invalid: this runs for every event)."""
    valid = []
    append = valid.append
    for ev in events:
        problem = first_problem(ev, now_ms)
        if problem is None:
            append(ev)
        else:
            reject(ev, problem, f"events[{ev.index}].")
    return valid


def reject(ev: Event, problem: tuple[str, str, str], prefix: str = "") -> None:
    reason, field, message = problem
    where = f"{prefix}{field}".rstrip(".")
    ev.settle(REJECTED, reason, f"{where}: {message}" if where else message)


def complete(ev: Event, now_ms: int) -> bool:
    """Fill the defaults of a valid event: empty properties, an event id when the client sent
    none (content-derived if it has its own timestamp), and the receive time. True when the
    id was minted by the server (such an event cannot be a duplicate)."""
    minted = False
    if ev.properties is None:
        ev.properties = "{}"
    if not ev.event_id:
        if ev.ts_ms is None:
            ev.event_id, minted = server_event_id(), True
        else:
            ev.event_id = content_event_id(ev.name, ev.ref_kind, ev.ref_value, ev.ts_ms, ev.properties)
    if ev.ts_ms is None:
        ev.ts_ms = now_ms
    return minted
