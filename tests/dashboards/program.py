"""A small program for rendering tests: a partner tree, a week of events, three metrics, a dashboard.

Expected values are computed here from the same event list, independently of the services.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from partneros.common.v1 import level_pb2, window_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb
from partneros.dashboards.v1 import dashboards_pb2_grpc
from partneros.metrics.v1 import metrics_pb2, metrics_pb2_grpc

from tests.conftest import bearer
from tests.dashboards.conftest import event_list, metric_widget
from tests.dashboards.events import Event, insert_events, utc
from tests.factories import World

__all__ = ["Program", "build_program", "WEEK_START", "WEEK_END", "range_window"]

WEEK_START, WEEK_END = utc(2026, 3, 2), utc(2026, 3, 9)
# signups per partner of the World tree
SIGNUPS = {"dist_a": 1, "dist_b": 2, "res_a1": 3, "res_a2": 4, "sub_a1x": 5, "sub_a1y": 6}


def range_window(start: dt.datetime, end: dt.datetime) -> window_pb2.Window:
    w = window_pb2.Window(mode=window_pb2.WINDOW_MODE_RANGE)
    w.start_time.FromDatetime(start)
    w.end_time.FromDatetime(end)
    return w


@dataclass
class Program:
    world: World
    events: list[Event]
    metrics: dict[str, str]  # "count" | "sum" | "unique" -> metric id
    dashboard: pb.Dashboard
    dashboards: dashboards_pb2_grpc.DashboardsServiceStub
    metrics_stub: metrics_pb2_grpc.MetricsServiceStub

    def partners_under(self, key: str) -> set[str]:
        """Partner ids of `key`'s subtree."""
        p = self.world.partners
        children = {"dist_a": ["res_a1", "res_a2"], "res_a1": ["sub_a1x", "sub_a1y"]}
        out, stack = set(), [key]
        while stack:
            k = stack.pop()
            out.add(p[k])
            stack += children.get(k, [])
        return out

    def expected(self, partner_ids: set[str] | None = None, *, start: dt.datetime = WEEK_START,
                 end: dt.datetime = WEEK_END, names: tuple[str, ...] = ("signup",)) -> dict[str, float]:
        """count, sum of amount and unique customers over the events in scope and window."""
        rows = [e for e in self.events if e.name in names and start <= e.ts < end
                and (partner_ids is None or e.partner_id in partner_ids)]
        return {"count": len(rows), "sum": float(sum(e.properties["amount"] for e in rows)),
                "unique": len({e.customer_id for e in rows})}

    def render(self, token: str, dashboard_id: str | None = None, **kw: object) -> pb.RenderDashboardResponse:
        request = pb.RenderDashboardRequest(dashboard_id=dashboard_id or self.dashboard.id, time_zone="UTC", **kw)
        return self.dashboards.RenderDashboard(request, metadata=bearer(token))


def _events(world: World) -> list[Event]:
    out = []
    for key, n in SIGNUPS.items():
        pid, cid = world.partners[key], world.customers[key]
        for j in range(n):
            ts = WEEK_START + dt.timedelta(days=j % 7, hours=10, minutes=j)
            out.append(Event(world.tenant_id, pid, cid, "signup", ts,
                             {"plan": {"tier": "gold" if j % 2 == 0 else "silver"}, "amount": 10 * (j + 1)}))
        out.append(Event(world.tenant_id, pid, cid, "login", WEEK_START + dt.timedelta(hours=8), {"amount": 1000}))
    # the previous week: one signup, for the comparison
    out.append(Event(world.tenant_id, world.partners["dist_b"], world.customers["dist_b"], "signup",
                     utc(2026, 2, 25, 12), {"plan": {"tier": "gold"}, "amount": 7}))
    return out


def build_program(host, channel) -> Program:  # noqa: ANN001
    world = World.build(host.context.engine)
    events = _events(world)
    insert_events(host.context.clickhouse, events)
    md = bearer(world.admin_token)
    metrics_stub = metrics_pb2_grpc.MetricsServiceStub(channel)
    definitions = {
        "count": metrics_pb2.Metric(name="Signups", aggregation="count", event_names=["signup"]),
        "sum": metrics_pb2.Metric(name="Revenue", aggregation="sum", field="amount", event_names=["signup"],
                                  unit="EUR"),
        "unique": metrics_pb2.Metric(name="Customers", aggregation="unique", event_names=["signup"]),
    }
    metrics = {k: metrics_stub.CreateMetric(metrics_pb2.CreateMetricRequest(metric=m), metadata=md).id
               for k, m in definitions.items()}
    feed = event_list("feed", title="Latest signups", y=5, w=12, h=3, event_names=["signup"],
                      columns=["plan.tier", "amount"], limit=5)
    d = pb.Dashboard(
        name="Program overview", shared_with_partners=True,
        default_level=level_pb2.Level(kind=level_pb2.LEVEL_KIND_ALL_PARTNERS),
        default_window=range_window(WEEK_START, WEEK_END),
        widgets=[metric_widget(metrics["count"], "signups", x=0), metric_widget(metrics["sum"], "revenue", x=4),
                 metric_widget(metrics["unique"], "customers", x=8),
                 metric_widget(metrics["count"], "trend", kind="timeseries", y=2, w=12, h=3,
                               grain=window_pb2.GRAIN_DAY),
                 feed])
    dashboards = dashboards_pb2_grpc.DashboardsServiceStub(channel)
    created = dashboards.CreateDashboard(pb.CreateDashboardRequest(dashboard=d), metadata=md)
    return Program(world, events, metrics, created, dashboards, metrics_stub)
