"""The definitions store: create, read, list, update (bumping the version), delete.

Every statement is filtered by tenant; a metric of another tenant is simply not found.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from libs.errors import Aborted, AlreadyExists, FailedPrecondition, NotFound
from libs.identity.models import utcnow
from libs.identity.tokens import new_id
from services.metrics.definitions import MetricDefinition, groups_from_json, groups_to_json
from services.metrics.models import MetricRow, MetricVersionRow

__all__ = ["create", "get", "list_page", "replace", "remove", "definition_of", "definition_at"]


def definition_of(row: MetricRow) -> MetricDefinition:
    return MetricDefinition(name=row.name, aggregation=row.aggregation, description=row.description,
                            event_names=tuple(json.loads(row.event_names or "[]")), field=row.field,
                            filter_groups=groups_from_json(row.filter_groups), unit=row.unit, format=row.format)


def _columns(d: MetricDefinition) -> dict:
    return dict(name=d.name, name_key=d.name.casefold(), description=d.description, aggregation=d.aggregation,
                event_names=json.dumps(list(d.event_names), ensure_ascii=False), field=d.field,
                filter_groups=groups_to_json(d.filter_groups), unit=d.unit, format=d.format)


def _snapshot(d: MetricDefinition) -> str:
    out = dataclasses.asdict(d)
    out["filter_groups"] = json.loads(groups_to_json(d.filter_groups))
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


def _from_snapshot(text: str) -> MetricDefinition:
    out = json.loads(text)
    return MetricDefinition(**{**out, "event_names": tuple(out["event_names"]),
                               "filter_groups": groups_from_json(json.dumps(out["filter_groups"]))})


def _name_taken(session: Session, tenant_id: str, d: MetricDefinition, except_id: str = "") -> None:
    found = session.scalar(select(MetricRow.id).where(MetricRow.tenant_id == tenant_id,
                                                      MetricRow.name_key == d.name.casefold()))
    if found is not None and found != except_id:
        raise AlreadyExists(f"a metric named {d.name!r} already exists", reason="METRIC_NAME_TAKEN",
                            field="metric.name", metric_id=found)


def create(engine: Engine, tenant_id: str, d: MetricDefinition) -> MetricRow:
    """Store a new definition at version 1."""
    now = utcnow()
    row = MetricRow(id=new_id("met"), tenant_id=tenant_id, version=1, create_time=now, update_time=now,
                    **_columns(d))
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            _name_taken(session, tenant_id, d)
            session.add(row)
            session.add(MetricVersionRow(metric_id=row.id, version=1, tenant_id=tenant_id,
                                         definition=_snapshot(d), create_time=now))
    except IntegrityError:  # a concurrent create took the name
        raise AlreadyExists(f"a metric named {d.name!r} already exists", reason="METRIC_NAME_TAKEN",
                            field="metric.name") from None
    return row


def get(engine: Engine, tenant_id: str, metric_id: str) -> MetricRow:
    with Session(engine, expire_on_commit=False) as session:
        row = session.scalar(select(MetricRow).where(MetricRow.tenant_id == tenant_id, MetricRow.id == metric_id))
    if row is None:
        raise NotFound(f"metric {metric_id!r} not found", reason="METRIC_NOT_FOUND", metric_id=metric_id)
    return row


def definition_at(engine: Engine, tenant_id: str, metric_id: str, at: dt.datetime) -> tuple[MetricDefinition, int]:
    """The definition of a metric in force at `at`, and its version; FAILED_PRECONDITION if it had none
    yet (NOT_FOUND if it does not exist now)."""
    get(engine, tenant_id, metric_id)
    at = at.astimezone(dt.timezone.utc)  # stored as UTC; SQLite compares the text of the wall time
    with Session(engine) as session:
        found = session.execute(
            select(MetricVersionRow.definition, MetricVersionRow.version)
            .where(MetricVersionRow.tenant_id == tenant_id, MetricVersionRow.metric_id == metric_id,
                   MetricVersionRow.create_time <= at)
            .order_by(MetricVersionRow.version.desc()).limit(1)
        ).first()
    if found is None:
        raise FailedPrecondition(f"metric {metric_id!r} was not defined yet at as_of_time", reason="METRIC_NOT_YET_DEFINED",
                                 field="as_of_time", metric_id=metric_id)
    return _from_snapshot(found.definition), found.version


def list_page(engine: Engine, tenant_id: str, limit: int, after: tuple[str, str] | None) -> list[MetricRow]:
    """Up to `limit` definitions by name, after the (name key, id) position of the previous page."""
    query = select(MetricRow).where(MetricRow.tenant_id == tenant_id)
    if after is not None:
        key, last_id = after
        query = query.where((MetricRow.name_key > key) | ((MetricRow.name_key == key) & (MetricRow.id > last_id)))
    query = query.order_by(MetricRow.name_key, MetricRow.id).limit(limit)
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(query))


def replace(engine: Engine, tenant_id: str, metric_id: str, d: MetricDefinition, expected_version: int) -> MetricRow:
    """Store `d` as the next version, if the metric is still at `expected_version` (else ABORTED)."""
    now = utcnow()
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            _name_taken(session, tenant_id, d, except_id=metric_id)
            result = session.execute(
                update(MetricRow)
                .where(MetricRow.tenant_id == tenant_id, MetricRow.id == metric_id,
                       MetricRow.version == expected_version)
                .values(version=expected_version + 1, update_time=now, **_columns(d))
            )
            if result.rowcount != 1:
                raise Aborted("the metric changed meanwhile; read it again and retry", reason="CONCURRENT_UPDATE",
                              metric_id=metric_id)
            session.add(MetricVersionRow(metric_id=metric_id, version=expected_version + 1, tenant_id=tenant_id,
                                         definition=_snapshot(d), create_time=now))
    except IntegrityError:
        raise AlreadyExists(f"a metric named {d.name!r} already exists", reason="METRIC_NAME_TAKEN",
                            field="metric.name") from None
    return get(engine, tenant_id, metric_id)


def remove(engine: Engine, tenant_id: str, metric_id: str) -> None:
    """Delete a definition and its history."""
    with Session(engine) as session, session.begin():
        result = session.execute(delete(MetricRow).where(MetricRow.tenant_id == tenant_id, MetricRow.id == metric_id))
        if result.rowcount != 1:
            raise NotFound(f"metric {metric_id!r} not found", reason="METRIC_NOT_FOUND", metric_id=metric_id)
        session.execute(delete(MetricVersionRow).where(MetricVersionRow.tenant_id == tenant_id,
                                                       MetricVersionRow.metric_id == metric_id))
