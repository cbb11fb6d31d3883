"""The program the UI tests look at, built through the real APIs (gRPC) plus the factories.

Distributor A > Reseller A1 > Sub A1x / Sub A1y, Reseller A2 (A1's sibling), Distributor B.
Each partner has a customer with purchases in the last 30 days whose amounts differ per
partner, so every slice has its own numbers; older purchases fall outside the window.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import grpc
from google.protobuf import timestamp_pb2
from partneros.common.v1 import level_pb2, window_pb2
from partneros.dashboards.v1 import dashboards_pb2 as dpb
from partneros.dashboards.v1 import dashboards_pb2_grpc
from partneros.ingest.v1 import ingest_pb2, ingest_pb2_grpc
from partneros.metrics.v1 import metrics_pb2, metrics_pb2_grpc

from tests import factories
from tests.conftest import bearer

LAST_30_DAYS = window_pb2.Window(period=window_pb2.PERIOD_DAY, mode=window_pb2.WINDOW_MODE_TRAILING, count=30)
# Purchases per partner key: (days ago, amount, plan). Amounts make each slice's sum unique.
PURCHASES = {
    "dist_a": [(3, 100.0, "pro"), (10, 50.0, "free")],
    "dist_b": [(4, 1000.0, "team"), (12, 250.0, "pro"), (20, 5.0, "free")],
    "res_a1": [(2, 20.0, "pro"), (5, 30.5, "team"), (8, 7.25, "pro")],
    "res_a2": [(6, 400.0, "pro")],
    "sub_a1x": [(7, 3.0, "free"), (9, 11.0, "pro")],
    "sub_a1y": [(15, 60.0, "team")],
}
OLD_DAYS = 100  # one purchase per partner this long ago: outside "last 30 days"


@dataclass
class UiWorld:
    tenant_id: str
    admin_token: str
    partners: dict[str, str]
    customers: dict[str, str]
    emails: dict[str, str]
    manager_token: str
    partner_user_token: str  # a user of Reseller A1
    revenue_id: str
    purchases_id: str
    shared_dashboard_id: str
    internal_dashboard_id: str
    host_address: str
    extra: dict = field(default_factory=dict)

    def channel(self) -> grpc.Channel:
        return grpc.insecure_channel(self.host_address)


def _ts(days_ago: float) -> timestamp_pb2.Timestamp:
    ts = timestamp_pb2.Timestamp()
    now = dt.datetime.now(dt.timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0)
    ts.FromDatetime(now - dt.timedelta(days=days_ago))
    return ts


def build(host) -> UiWorld:  # noqa: ANN001
    engine = host.context.engine
    w = factories.World.build(engine, name="UI Program")
    t = w.tenant_id
    _, manager = factories.operator(engine, t, role="manager", assigned=(w.partners["res_a1"],))
    _, partner_user = factories.partner_user(engine, t, w.partners["res_a1"])
    _, key = factories.machine_key(engine, t)
    admin = bearer(w.admin_token)
    emails = {k: f"{k}@{t}.example.com" for k in w.partners}
    with grpc.insecure_channel(host.address) as ch:
        events = []
        for pkey, rows in PURCHASES.items():
            cust = ingest_pb2.CustomerRef(customer_id=w.customers[pkey])
            for i, (days, amount, plan) in enumerate(rows):
                ev = ingest_pb2.EventInput(event_id=f"{pkey}-{i}", name="purchase", customer=cust,
                                           timestamp=_ts(days))
                ev.properties.update({"amount": amount, "plan": plan})
                events.append(ev)
            old = ingest_pb2.EventInput(event_id=f"{pkey}-old", name="purchase", customer=cust, timestamp=_ts(OLD_DAYS))
            old.properties.update({"amount": 9999.0, "plan": "old"})
            events.append(old)
        r = ingest_pb2_grpc.IngestServiceStub(ch).IngestEvents(ingest_pb2.IngestEventsRequest(events=events),
                                                             metadata=bearer(key))
        assert r.accepted_count == len(events), r

        metrics = metrics_pb2_grpc.MetricsServiceStub(ch)
        revenue = metrics.CreateMetric(metrics_pb2.CreateMetricRequest(metric=metrics_pb2.Metric(
            name="Revenue", aggregation="sum", event_names=["purchase"], field="amount", unit="EUR",
            format="currency")), metadata=admin)
        purchases = metrics.CreateMetric(metrics_pb2.CreateMetricRequest(metric=metrics_pb2.Metric(
            name="Purchases", aggregation="count", event_names=["purchase"], unit="orders")), metadata=admin)

        dashboards = dashboards_pb2_grpc.DashboardsServiceStub(ch)
        shared = dpb.Dashboard(name="Partner overview", shared_with_partners=True, default_window=LAST_30_DAYS,
                               default_level=level_pb2.Level(kind=level_pb2.LEVEL_KIND_ALL_PARTNERS))
        shared.widgets.add(id="rev", type="metric", title="Revenue", metric_id=revenue.id,
                           position=dpb.GridPosition(x=0, y=0, w=4, h=2))
        shared.widgets.add(id="count", type="metric", title="Purchases", metric_id=purchases.id,
                           position=dpb.GridPosition(x=4, y=0, w=4, h=2))
        shared.widgets.add(id="trend", type="timeseries", title="Revenue per day", metric_id=revenue.id,
                           grain=window_pb2.GRAIN_DAY, position=dpb.GridPosition(x=0, y=2, w=8, h=4))
        shared.widgets.add(id="latest", type="event_list", title="Latest purchases", event_names=["purchase"],
                           columns=["plan", "amount"], limit=3, position=dpb.GridPosition(x=0, y=6, w=12, h=4))
        shared_id = dashboards.CreateDashboard(dpb.CreateDashboardRequest(dashboard=shared), metadata=admin).id
        internal = dpb.Dashboard(name="Internal only", default_window=LAST_30_DAYS)
        internal.widgets.add(id="rev", type="metric", title="Revenue", metric_id=revenue.id,
                             position=dpb.GridPosition(x=0, y=0, w=4, h=2))
        internal_id = dashboards.CreateDashboard(dpb.CreateDashboardRequest(dashboard=internal), metadata=admin).id

    return UiWorld(tenant_id=t, admin_token=w.admin_token, partners=w.partners, customers=w.customers,
                   emails=emails, manager_token=manager, partner_user_token=partner_user, revenue_id=revenue.id,
                   purchases_id=purchases.id, shared_dashboard_id=shared_id, internal_dashboard_id=internal_id,
                   host_address=host.address)
