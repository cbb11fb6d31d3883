"""Stage 2: resolve a validated metric against the schema, the effective scope and the clock.

The result is a plan: which aggregation plugin, which rows (scope, window, filters), which
buckets. Everything here is decided; `build` only turns it into a query tree.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from libs.auth.scope import EffectiveScope
from libs.errors import FailedPrecondition, InvalidArgument
from libs.timezones import iana_zones
from services.metrics.compiler.context import CompilerError
from services.metrics.compiler.schema import EVENTS, TableSchema
from services.metrics.compiler.spec import ValidFilter, ValidMetric
from services.metrics.compiler.windows import (
    EARLIEST, LATEST, Calendar, Grain, TimeRange, WindowSpec, bucket_starts, previous_range, resolve_window,
)

__all__ = ["MetricPlan", "EventsPlan", "Cursor", "resolve_metric", "resolve_events", "zone", "check_as_of"]


@dataclass(frozen=True)
class Cursor:
    """Where a page of the event list resumes: strictly after this (ts, event_id, customer_id)."""

    ts: dt.datetime
    event_id: str
    customer_id: str


@dataclass(frozen=True)
class MetricPlan:
    """Everything needed to build a metric query."""

    table: TableSchema
    metric: ValidMetric
    aggregation: object  # services.metrics.aggregations.base.Aggregation
    scope: EffectiveScope
    calendar: Calendar
    time_zone: str
    window: TimeRange
    previous: TimeRange | None
    grain: int
    buckets: tuple[tuple[object, dt.datetime], ...]
    breakdown: bool
    extra_filters: tuple[ValidFilter, ...] = ()
    # Restrict to these partners (inside the scope): the "rest" row of a breakdown.
    only_partners: frozenset[str] | None = None
    # Only events received by this instant (an answer as it was seen then); None: every event.
    received_by: dt.datetime | None = None


@dataclass(frozen=True)
class EventsPlan:
    """Everything needed to build one page of the event list."""

    table: TableSchema
    scope: EffectiveScope
    event_names: tuple[str, ...]
    filter_groups: tuple[tuple[ValidFilter, ...], ...]
    window: TimeRange | None
    limit: int
    after: Cursor | None
    received_by: dt.datetime | None = None


def zone(name: str, field: str = "time_zone") -> ZoneInfo:
    """An IANA zone, or INVALID_ARGUMENT naming `field`."""
    if name not in iana_zones():  # the same names a tenant's zone may take
        raise InvalidArgument(f"unknown time zone {name!r}", reason="INVALID_TIME_ZONE", field=field)
    return ZoneInfo(name)


def check_as_of(now: dt.datetime) -> None:
    """INVALID_ARGUMENT unless `now` (as_of_time) is within what the events table holds."""
    if not EARLIEST <= now < LATEST:
        raise InvalidArgument("as_of_time must be from 1900 to 2299", reason="INVALID_AS_OF_TIME", field="as_of_time")


def _check_scope(scope: EffectiveScope) -> None:
    if not isinstance(scope, EffectiveScope) or not scope.tenant_id:
        raise CompilerError("a query needs an effective scope with its tenant")


def resolve_metric(metric: ValidMetric, *, scope: EffectiveScope, aggregations: Mapping[str, object],
                   window: WindowSpec, grain: int, time_zone: str, week_start: int, now: dt.datetime,
                   compare_previous: bool = False, breakdown: bool = False,
                   extra_filters: tuple[ValidFilter, ...] = (), as_seen: bool = False) -> MetricPlan:
    """Plan a metric query for `scope` as of `now`."""
    _check_scope(scope)
    plugin = aggregations.get(metric.aggregation)
    if plugin is None:
        raise FailedPrecondition(f"aggregation {metric.aggregation!r} is not installed on this server",
                                 reason="AGGREGATION_UNAVAILABLE", aggregation=metric.aggregation)
    if grain not in (Grain.UNSPECIFIED, Grain.HOUR, Grain.DAY, Grain.WEEK, Grain.MONTH, Grain.QUARTER):
        raise InvalidArgument("unknown grain", reason="INVALID_GRAIN", field="grain")
    calendar = Calendar(zone(time_zone), week_start)
    check_as_of(now)
    current = resolve_window(window, now, calendar)
    previous = previous_range(window, current, now, calendar) if compare_previous else None
    buckets = tuple(bucket_starts(current, grain, calendar)) if grain else ()
    return MetricPlan(EVENTS, metric, plugin, scope, calendar, time_zone, current, previous, grain, buckets,
                      breakdown, extra_filters, received_by=now if as_seen else None)


def resolve_events(*, scope: EffectiveScope, event_names: tuple[str, ...],
                   filter_groups: tuple[tuple[ValidFilter, ...], ...], window: WindowSpec | None,
                   time_zone: str, week_start: int, now: dt.datetime, limit: int,
                   after: Cursor | None, as_seen: bool = False) -> EventsPlan:
    """Plan one page of the event list (no window means every event)."""
    _check_scope(scope)
    calendar = Calendar(zone(time_zone), week_start)
    check_as_of(now)
    current = resolve_window(window, now, calendar) if window is not None else None
    return EventsPlan(EVENTS, scope, event_names, filter_groups, current, limit, after,
                      received_by=now if as_seen else None)
