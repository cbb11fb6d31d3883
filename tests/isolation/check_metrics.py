"""QueryMetric and QueryEvents as any principal, compared with the oracle over visible events only."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from google.protobuf import json_format
from partneros.metrics.v1 import metrics_pb2 as mpb

from tests.isolation.choices import (
    EVENT_NAME_SETS, GRAINS, as_of, filters_oracle, filters_proto, level_proto, window_of,
)
from tests.isolation.oracle import (
    LevelTarget, Refusal, Scope, aggregate, events_in, expected_scope, matches, resolve_target,
)
from tests.isolation.probe import Probe
from tests.isolation.transport import Outcome
from tests.isolation.world import UTC, Actor, Event

__all__ = ["MetricAsk", "check_query_metric", "EventsAsk", "check_query_events", "close", "ts",
           "check_refusal", "check_buckets"]


def ts(stamp) -> dt.datetime:  # noqa: ANN001
    return stamp.ToDatetime(UTC)


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def check_refusal(probe: Probe, actor: Actor, request, outcome: Outcome, scope: Scope | Refusal) -> bool:  # noqa: ANN001
    """True when the oracle expects a refusal (and the outcome is that refusal)."""
    if isinstance(scope, Refusal):
        probe.expect_error(actor, request, outcome, scope.code, scope.reason)
        return True
    probe.expect(outcome.ok, actor, request, outcome, "a request inside the caller's slice was refused")
    return False


@dataclass(frozen=True)
class MetricAsk:
    metric: str
    level: LevelTarget
    window: str = "default"
    grain: str = "none"
    zone: str = ""
    compare: bool = False
    breakdown: bool = False
    limit: int = 0
    filters: tuple[int, ...] = ()


def _at(request, level_kind: str, level_id: str, window: str):  # noqa: ANN001, ANN202 - a metrics request
    """`request` asked as of the world's fixed time, at the level and over the window named."""
    request.as_of_time.CopyFrom(as_of())
    level = level_proto(level_kind, level_id)
    if level is not None:
        request.level.CopyFrom(level)
    window_proto = window_of(window)
    if window_proto is not None:
        request.window.CopyFrom(window_proto)
    return request


def _metric_request(probe: Probe, actor: Actor, ask: MetricAsk, level_id: str) -> mpb.QueryMetricRequest:
    t = probe.world.tenant_of(actor)
    request = mpb.QueryMetricRequest(metric_id=t.metrics[ask.metric], grain=GRAINS[ask.grain], time_zone=ask.zone,
                                     compare_previous=ask.compare, breakdown_by_partner=ask.breakdown,
                                     breakdown_limit=ask.limit, filters=filters_proto(ask.filters))
    return _at(request, ask.level.kind, level_id, ask.window)


def check_buckets(probe: Probe, actor: Actor, request, outcome: Outcome, definition, events: list[Event],  # noqa: ANN001
                  starts: list[dt.datetime], values: list[float], end: dt.datetime, extra: tuple) -> None:
    probe.expect(bool(starts) and starts == sorted(set(starts)), actor, request, outcome, "buckets out of order")
    edges = [*starts[1:], end]
    for start, stop, got in zip(starts, edges, values):
        want, _ = aggregate(definition, [e for e in events if start <= e.ts < stop], extra)
        probe.expect(close(got, want), actor, request, outcome,
                     f"bucket {start.isoformat()} is {got}, the visible events give {want}")


def _breakdown(probe: Probe, actor: Actor, request, outcome: Outcome, scope: Scope, definition,  # noqa: ANN001
               events: list[Event], limit: int, extra: tuple) -> None:
    t = probe.world.tenant_of(actor)
    rows = list(outcome.response.breakdown)
    named = [r for r in rows if not r.is_rest]
    ids = [r.partner_id for r in named]
    fail = lambda problem: probe.fail(actor, request, outcome, problem)  # noqa: E731
    if len(set(ids)) != len(ids) or not set(ids) <= scope.partners:
        fail(f"breakdown rows name partners outside the slice: {sorted(set(ids) - scope.partners)}")
    if len(named) != min(limit or 10, len(scope.partners)):
        fail(f"breakdown has {len(named)} partner rows for a slice of {len(scope.partners)} partners")
    rest = [r for r in rows if r.is_rest]
    remaining = scope.partners - set(ids)
    if (len(rest) == 1) != bool(remaining) or len(rest) > 1:
        fail(f"breakdown 'rest' row does not match the {len(remaining)} partners after the top rows")
    for row in named:
        want, _ = aggregate(definition, [e for e in events if e.partner_id == row.partner_id], extra)
        probe.expect(close(row.value, want) and row.partner_name == t.partner_name(row.partner_id), actor, request,
                     outcome, f"breakdown row {row.partner_id}: {row.value} {row.partner_name!r}, oracle {want}")
    if rest:
        want, _ = aggregate(definition, [e for e in events if e.partner_id in remaining], extra)
        probe.expect(close(rest[0].value, want), actor, request, outcome,
                     f"breakdown rest row is {rest[0].value}, the visible partners after the top give {want}")


def check_query_metric(probe: Probe, actor: Actor, ask: MetricAsk) -> Outcome:
    world = probe.world
    level_id = resolve_target(world, ask.level)
    request = _metric_request(probe, actor, ask, level_id)
    outcome = probe.call(actor, "metrics", "QueryMetric", request)
    scope = expected_scope(world, actor, ask.level.kind, level_id)
    if isinstance(scope, Refusal) and scope.reason in ("", "PERMISSION_MISSING"):
        probe.expect_error(actor, request, outcome, scope.code, scope.reason)
        return outcome
    if ask.breakdown and actor.kind not in ("admin", "manager"):
        probe.expect_error(actor, request, outcome, "PERMISSION_DENIED", "BREAKDOWN_NOT_ALLOWED")
        return outcome
    if check_refusal(probe, actor, request, outcome, scope):
        return outcome
    r = outcome.response
    definition = world.tenant_of(actor).definitions[request.metric_id]
    extra = filters_oracle(ask.filters)
    start, end = ts(r.start_time), ts(r.end_time)
    events = events_in(world, scope, start, end)
    value, skipped = aggregate(definition, events, extra)
    probe.expect(close(r.value, value), actor, request, outcome,
                 f"value {r.value} != {value} computed over the {len(events)} visible events of the window")
    probe.expect(r.skipped_count == skipped, actor, request, outcome, f"skipped_count {r.skipped_count} != {skipped}")
    probe.expect((r.effective_level.kind, r.effective_level.id) == (scope.level_kind, scope.level_id), actor, request,
                 outcome, f"effective level should be ({scope.level_kind}, {scope.level_id!r})")
    if ask.compare:
        previous, _ = aggregate(definition, events_in(world, scope, ts(r.previous_start_time),
                                                      ts(r.previous_end_time)), extra)
        probe.expect(close(r.previous_value, previous), actor, request, outcome,
                     f"previous_value {r.previous_value} != {previous} over the visible events")
    if ask.grain != "none":
        check_buckets(probe, actor, request, outcome, definition, events, [ts(b.start_time) for b in r.buckets],
                      [b.value for b in r.buckets], end, extra)
    if ask.breakdown:
        _breakdown(probe, actor, request, outcome, scope, definition, events, ask.limit, extra)
    return outcome


@dataclass(frozen=True)
class EventsAsk:
    level: LevelTarget
    window: str = "default"  # "default": no window (every event)
    names: int = 0  # index into EVENT_NAME_SETS
    filters: tuple[int, ...] = ()  # one AND group (empty: none)
    page_size: int = 100
    max_pages: int = 30


def _event_key(e: Event) -> tuple:
    return (e.ts, e.event_id, e.customer_id)


def expected_events(probe: Probe, scope: Scope, ask: EventsAsk, start: dt.datetime | None,
                    end: dt.datetime | None) -> list[Event]:
    groups = (filters_oracle(ask.filters),) if ask.filters else ()
    rows = [e for e in events_in(probe.world, scope, start, end) if matches(e, EVENT_NAME_SETS[ask.names], groups)]
    return sorted(rows, key=_event_key, reverse=True)


def events_request(ask: EventsAsk, level_id: str, page_token: str = "") -> mpb.QueryEventsRequest:
    request = mpb.QueryEventsRequest(event_names=EVENT_NAME_SETS[ask.names], page_size=ask.page_size,
                                     page_token=page_token)
    if ask.filters:
        request.filter_groups.add(filters=filters_proto(ask.filters))
    return _at(request, ask.level.kind, level_id, ask.window)


def _window_bounds(probe: Probe, actor: Actor, ask: EventsAsk) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The window's [start, end) as the metrics service computes it for any caller (asked once as the
    tenant's admin: a window never depends on the scope)."""
    if window_of(ask.window) is None:
        return None, None
    t = probe.world.tenant_of(actor)
    request = mpb.QueryMetricRequest(metric_id=t.metrics["count_all"], window=window_of(ask.window))
    request.as_of_time.CopyFrom(as_of())
    r = probe.transport.call("metrics", "QueryMetric", request, t.actors["admin"].token).response
    return ts(r.start_time), ts(r.end_time)


def check_events_page(probe: Probe, actor: Actor, request, outcome: Outcome, allowed: dict[tuple, Event],  # noqa: ANN001
                      scope: Scope) -> None:
    """Every event of a page is a visible one, exactly as stored; its customer is named only if
    the customer belongs now to the slice read (one moved out of it shows by id alone)."""
    tenant = next(t for t in probe.world.tenants.values() if t.id == scope.tenant_id)
    for e in outcome.response.events:
        want = allowed.get((e.event_id, e.customer_id))
        if want is None:
            probe.fail(actor, request, outcome, f"event {e.event_id} of customer {e.customer_id} is outside the slice")
        got = (e.partner_id, e.name, ts(e.timestamp), json_format.MessageToDict(e.properties))
        probe.expect(got == (want.partner_id, want.name, want.ts, want.properties), actor, request, outcome,
                     f"event {e.event_id} differs from what was stored: {got}")
        customer = tenant.customer_by_id(e.customer_id)
        named = (customer is not None and customer.partner_id in scope.partners
                 and scope.customer in (None, customer.id))
        probe.expect(e.customer_name == (customer.name if named else ""), actor, request, outcome,
                     f"event {e.event_id} names its customer {e.customer_name!r}; expected "
                     f"{customer.name if named else ''!r}")


def check_query_events(probe: Probe, actor: Actor, ask: EventsAsk) -> list[str]:
    """Walk the pages; the concatenation must be exactly the visible events, newest first.
    Returns the page tokens seen (to be replayed by other principals)."""
    level_id = resolve_target(probe.world, ask.level)
    scope = expected_scope(probe.world, actor, ask.level.kind, level_id)
    request = events_request(ask, level_id)
    outcome = probe.call(actor, "metrics", "QueryEvents", request)
    if check_refusal(probe, actor, request, outcome, scope):
        return []
    start, end = _window_bounds(probe, actor, ask)
    expected = expected_events(probe, scope, ask, start, end)
    allowed = {(e.event_id, e.customer_id): e for e in expected}
    got: list[tuple[str, str]] = []
    tokens: list[str] = []
    for pages in range(1, ask.max_pages + 1):
        check_events_page(probe, actor, request, outcome, allowed, scope)
        page = [(e.event_id, e.customer_id) for e in outcome.response.events]
        probe.expect(len(page) <= ask.page_size, actor, request, outcome, "page larger than page_size")
        got += page
        token = outcome.response.next_page_token
        if not token or pages == ask.max_pages:
            break
        tokens.append(token)
        request = events_request(ask, level_id, token)
        outcome = probe.call(actor, "metrics", "QueryEvents", request)
        probe.expect(outcome.ok, actor, request, outcome, "the next page was refused")
    want = [(e.event_id, e.customer_id) for e in expected]
    if outcome.response.next_page_token:  # stopped early: the pages read are the head of the list
        want = want[:len(got)]
    probe.expect(got == want, actor, request, outcome,
                 f"the pages hold {len(got)} events, the visible slice {len(want)} "
                 f"(extra: {sorted(set(got) - set(want))[:5]}, missing: {sorted(set(want) - set(got))[:5]})")
    return tokens


def check_replayed_token(probe: Probe, actor: Actor, ask: EventsAsk, token: str) -> None:
    """Another principal's page token resumes only inside the replaying principal's own slice."""
    level_id = resolve_target(probe.world, ask.level)
    scope = expected_scope(probe.world, actor, ask.level.kind, level_id)
    request = events_request(ask, level_id, token)
    outcome = probe.call(actor, "metrics", "QueryEvents", request)
    if isinstance(scope, Refusal) or (not outcome.ok and outcome.code == "INVALID_ARGUMENT"):
        if isinstance(scope, Refusal):
            probe.expect_error(actor, request, outcome, scope.code, scope.reason)
        return
    probe.expect(outcome.ok, actor, request, outcome, "a replayed page token was refused unexpectedly")
    start, end = _window_bounds(probe, actor, ask)
    expected = expected_events(probe, scope, ask, start, end)
    check_events_page(probe, actor, request, outcome, {(e.event_id, e.customer_id): e for e in expected}, scope)
    page = [(e.event_id, e.customer_id) for e in outcome.response.events]
    order = [(e.event_id, e.customer_id) for e in expected]
    positions = [order.index(k) for k in page]
    probe.expect(positions == sorted(positions) and (not positions or positions == list(
        range(positions[0], positions[0] + len(positions)))), actor, request, outcome,
                 "a replayed token's page is not a run of the caller's own event list")
