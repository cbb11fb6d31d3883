"""RenderDashboard, GetDashboard and ListDashboards as any principal, against the oracle."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from google.protobuf import json_format
from partneros.dashboards.v1 import dashboards_pb2 as dpb

from tests.isolation.check_metrics import check_buckets, check_refusal, close, ts
from tests.isolation.choices import RENDER_WINDOWS, level_proto
from tests.isolation.oracle import LevelTarget, Refusal, Scope, aggregate, events_in, expected_scope, matches, resolve_target
from tests.isolation.probe import Probe, normalised_error
from tests.isolation.transport import Outcome
from tests.isolation.world import Actor

__all__ = ["RenderAsk", "check_render", "check_dashboard_reads", "dashboard_target", "UNKNOWN_DASHBOARD"]

UNKNOWN_DASHBOARD = "dsh_00000000deadbeef"
_KINDS = {0: "none", 1: "all", 2: "partner", 3: "customer"}


def dashboard_target(probe: Probe, target: tuple[str, str] | None) -> dpb.Dashboard | None:
    return probe.world.tenants[target[0]].dashboards[target[1]] if target else None


def _may_see(actor: Actor, dashboard: dpb.Dashboard | None, own: bool) -> bool:
    return dashboard is not None and own and (actor.kind != "user" or dashboard.shared_with_partners)


@dataclass(frozen=True)
class RenderAsk:
    dashboard: tuple[str, str] | None  # (tenant key, dashboard key), None: an id nobody has
    level: LevelTarget
    window: str = "dashboard"
    zone: str = ""


def _widget_values(probe: Probe, actor: Actor, request, outcome: Outcome, scope: Scope,  # noqa: ANN001
                   dashboard: dpb.Dashboard, window_range: tuple[dt.datetime, dt.datetime] | None) -> None:
    t = probe.world.tenant_of(actor)
    widgets = {w.id: w for w in dashboard.widgets}
    for rendered in outcome.response.widgets:
        w = widgets[rendered.widget_id]
        probe.expect(not rendered.error_code, actor, request, outcome, f"widget {w.id} failed: {rendered.error_message}")
        data = json_format.MessageToDict(rendered.data)
        extra = tuple((tuple(f.path.split(".")), f.operator, tuple(json_format.MessageToDict(v) for v in f.values))
                      for f in w.filters)
        if w.type in ("metric", "timeseries"):
            definition = t.definitions[w.metric_id]
            start, end = dt.datetime.fromisoformat(data["start_time"]), dt.datetime.fromisoformat(data["end_time"])
            events = events_in(probe.world, scope, start, end)
            want, _ = aggregate(definition, events, extra)
            probe.expect(close(data["value"], want), actor, request, outcome,
                         f"widget {w.id} shows {data['value']}, the visible events give {want}")
            if w.type == "metric" and window_range is not None:
                length = window_range[1] - window_range[0]
                previous, _ = aggregate(definition, events_in(probe.world, scope, window_range[0] - length,
                                                              window_range[0]), extra)
                probe.expect(close(data["previous_value"], previous), actor, request, outcome,
                             f"widget {w.id} previous value {data['previous_value']}, visible events give {previous}")
            if w.type == "timeseries":
                buckets = data["buckets"]
                check_buckets(probe, actor, request, outcome, definition, events,
                              [dt.datetime.fromisoformat(b["start_time"]) for b in buckets],
                              [b["value"] for b in buckets], end, extra)
        else:
            start, end = window_range if window_range else (None, None)
            group = (extra,) if extra else ()
            rows = sorted((e for e in events_in(probe.world, scope, start, end)
                           if matches(e, tuple(w.event_names), group)),
                          key=lambda e: (e.ts, e.event_id, e.customer_id), reverse=True)
            limit = w.limit or 20
            got = [(r["event_id"], r["customer_id"]) for r in data.get("events", [])]
            probe.expect(got == [(e.event_id, e.customer_id) for e in rows[:limit]], actor, request, outcome,
                         f"event list widget {w.id} shows {got[:5]}..., not the visible events")
            probe.expect(bool(data.get("has_more")) == (len(rows) > limit), actor, request, outcome,
                         f"event list widget {w.id} has_more reveals events beyond the slice")


def _range_of(window) -> tuple[dt.datetime, dt.datetime] | None:  # noqa: ANN001
    if window is None or window.mode != 4:
        return None
    return ts(window.start_time), ts(window.end_time)


def check_render(probe: Probe, actor: Actor, ask: RenderAsk) -> Outcome:
    world = probe.world
    dashboard = dashboard_target(probe, ask.dashboard)
    dashboard_id = dashboard.id if dashboard is not None else UNKNOWN_DASHBOARD
    level_id = resolve_target(world, ask.level)
    request = dpb.RenderDashboardRequest(dashboard_id=dashboard_id, time_zone=ask.zone)
    level = level_proto(ask.level.kind, level_id)
    if level is not None:
        request.level.CopyFrom(level)
    if RENDER_WINDOWS[ask.window] is not None:
        request.window.CopyFrom(RENDER_WINDOWS[ask.window])
    outcome = probe.call(actor, "dashboards", "RenderDashboard", request)
    if actor.revoked or actor.kind == "key":
        probe.expect_error(actor, request, outcome, "UNAUTHENTICATED" if actor.revoked else "PERMISSION_DENIED")
        return outcome
    own = ask.dashboard is not None and ask.dashboard[0] == actor.tenant
    if not _may_see(actor, dashboard, own):
        probe.expect_error(actor, request, outcome, "NOT_FOUND", "DASHBOARD_NOT_FOUND")
        if dashboard is not None:  # indistinguishable from a dashboard nobody has
            unknown = dpb.RenderDashboardRequest()
            unknown.CopyFrom(request)
            unknown.dashboard_id = UNKNOWN_DASHBOARD
            other = probe.call(actor, "dashboards", "RenderDashboard", unknown)
            probe.expect(normalised_error(outcome, dashboard.id) == normalised_error(other, UNKNOWN_DASHBOARD), actor,
                         request, outcome, f"refusal differs from that of an unknown dashboard: {other.describe()}")
        return outcome
    if ask.level.kind == "none" and (dashboard.default_level.kind or dashboard.default_level.id):
        kind, asked_id = _KINDS[dashboard.default_level.kind], dashboard.default_level.id
    else:
        kind, asked_id = ask.level.kind, level_id
    scope = expected_scope(world, actor, kind, asked_id)
    if isinstance(scope, Refusal) and kind != ask.level.kind and outcome.ok:
        # A default level the caller may not see: rendering at the caller's own widest level instead
        # is as good as a refusal (which must then not name the level: the probe's scan checks that).
        scope = expected_scope(world, actor, "none", "")
    if check_refusal(probe, actor, request, outcome, scope):
        return outcome
    r = outcome.response
    probe.expect((r.effective_level.kind, r.effective_level.id) == (scope.level_kind, scope.level_id), actor, request,
                 outcome, f"effective level should be ({scope.level_kind}, {scope.level_id!r})")
    window = RENDER_WINDOWS[ask.window] or (dashboard.default_window if dashboard.HasField("default_window") else None)
    _widget_values(probe, actor, request, outcome, scope, dashboard, _range_of(window))
    return outcome


def check_dashboard_reads(probe: Probe, actor: Actor, target: tuple[str, str] | None) -> None:
    """List shows exactly the caller's dashboards; Get of anything else is an unknown dashboard."""
    request = dpb.ListDashboardsRequest(page_size=1000)
    outcome = probe.call(actor, "dashboards", "ListDashboards", request)
    if actor.revoked or actor.kind == "key":
        probe.expect_error(actor, request, outcome, "UNAUTHENTICATED" if actor.revoked else "PERMISSION_DENIED")
        return
    t = probe.world.tenant_of(actor)
    want = {d.id for d in t.dashboards.values() if _may_see(actor, d, True)}
    got = {d.id for d in outcome.response.dashboards}
    probe.expect(got == want, actor, request, outcome, f"listed {len(got)} dashboards, the caller has {len(want)}")
    dashboard = dashboard_target(probe, target)
    dashboard_id = dashboard.id if dashboard is not None else UNKNOWN_DASHBOARD
    request = dpb.GetDashboardRequest(dashboard_id=dashboard_id)
    outcome = probe.call(actor, "dashboards", "GetDashboard", request)
    if _may_see(actor, dashboard, target is not None and target[0] == actor.tenant):
        probe.expect(outcome.ok and outcome.response.id == dashboard_id, actor, request, outcome, "own dashboard refused")
        return
    unknown = probe.call(actor, "dashboards", "GetDashboard", dpb.GetDashboardRequest(dashboard_id=UNKNOWN_DASHBOARD))
    probe.expect_error(actor, request, outcome, "NOT_FOUND", "DASHBOARD_NOT_FOUND")
    probe.expect(normalised_error(outcome, dashboard_id) == normalised_error(unknown, UNKNOWN_DASHBOARD), actor,
                 request, outcome, f"refusal differs from that of an unknown dashboard: {unknown.describe()}")
