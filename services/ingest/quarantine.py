"""The quarantine store: keep unresolvable events, list them, mark them replayed."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite

from services.ingest.event import Event
from services.ingest.ids import normalise_ref
from services.ingest.models import QuarantinedEventRow as Row

__all__ = ["keep", "page", "load", "mark_replayed", "Row"]


def _receipt_key(ev: Event, scope_partner_id: str | None) -> str:
    parts = (ev.ref_kind, normalise_ref(ev.ref_kind, ev.ref_value), ev.event_id, scope_partner_id or "")
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _entry_id(received_ms: int, index: int) -> str:
    """Sorts by receive time, then position in the batch."""
    return f"qev_{received_ms:012x}{index & 0xFFFF:04x}{secrets.token_hex(4)}"


def keep(engine: Engine, tenant_id: str, events: Sequence[Event], *, received: dt.datetime, received_ms: int,
         machine_key_id: str, scope_partner_id: str | None) -> None:
    """Store the events (one statement); an event already pending is not stored twice."""
    if not events:
        return
    rows = [
        dict(id=_entry_id(received_ms, ev.index), tenant_id=tenant_id, receipt_key=_receipt_key(ev, scope_partner_id),
             machine_key_id=machine_key_id, scope_partner_id=scope_partner_id, event_id=ev.event_id, name=ev.name,
             ref_kind=ev.ref_kind, ref_value=ev.ref_value, ts_ms=ev.ts_ms, properties=ev.properties,
             reason=ev.reason, message=ev.message, receive_time=received, replay_time=None)
        for ev in events
    ]
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Row).on_conflict_do_nothing(index_elements=["tenant_id", "receipt_key"])
    with engine.begin() as conn:
        conn.execute(statement, rows)


def page(engine: Engine, tenant_id: str, *, after_id: str, limit: int, include_replayed: bool) -> list:
    """Up to `limit` entries after `after_id`, oldest first."""
    query = select(Row).where(Row.tenant_id == tenant_id, Row.id > after_id)
    if not include_replayed:
        query = query.where(Row.replay_time.is_(None))
    with engine.connect() as conn:
        return list(conn.execute(query.order_by(Row.id).limit(limit)))


def load(engine: Engine, tenant_id: str, ids: Sequence[str] | None, limit: int) -> list:
    """The named entries (any state), or the oldest pending ones when `ids` is None."""
    query = select(Row).where(Row.tenant_id == tenant_id)
    if ids is None:
        query = query.where(Row.replay_time.is_(None)).order_by(Row.id).limit(limit)
    else:
        query = query.where(Row.id.in_(list(ids)))
    with engine.connect() as conn:
        return list(conn.execute(query))


def mark_replayed(engine: Engine, tenant_id: str, ids: Sequence[str], when: dt.datetime) -> int:
    """Mark entries replayed (those still pending); returns how many changed."""
    if not ids:
        return 0
    with engine.begin() as conn:
        result = conn.execute(
            update(Row).where(Row.tenant_id == tenant_id, Row.id.in_(list(ids)), Row.replay_time.is_(None))
            .values(replay_time=when)
        )
        return result.rowcount
