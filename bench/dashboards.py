"""Dashboards benchmark: an 8-widget dashboard over generated events in the embedded engine.

Measures, per level (all partners, one distributor):
- RenderDashboard end-to-end over gRPC ÷ the widgets' compiled SQL run back to back directly
  on the engine (target ≤ 1.2);
- the speed-up of rendering the widgets concurrently over rendering them one after another.

    .venv/bin/python -m bench.dashboards --events 10000000 --repeat 3

Generated data is kept in --data-dir when given (a second run reuses it).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pathlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import grpc
from partneros.common.v1 import filter_pb2, level_pb2, window_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb
from partneros.dashboards.v1 import dashboards_pb2_grpc
from partneros.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from sqlalchemy.orm import Session

from libs.config import Settings

__all__ = ["main"]

START, END = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(2026, 7, 1, tzinfo=dt.timezone.utc)
Q2 = (dt.datetime(2026, 4, 1, tzinfo=dt.timezone.utc), END)
DISTRIBUTORS, RESELLERS_EACH, CUSTOMERS = 5, 9, 200_000
CHUNK = 2_000_000
CONCURRENCY = (1, 2, 4, 8)  # widgets in flight, measured in-process

_INSERT = """
INSERT INTO events (tenant_id, partner_id, customer_id, event_id, name, ts, received_at, source, properties)
SELECT {tenant:String}, {partners:Array(String)}[1 + (c % length({partners:Array(String)}))],
       concat('cus_', toString(c)), concat('e', toString(n)),
       multiIf(n % 10 = 0, 'signup', n % 10 < 4, 'purchase', 'login'), t, t, 'api',
       concat('{"amount":', toString(((n * 31) % 10000) / 100), ',"plan":{"tier":"',
              ['gold', 'silver', 'bronze'][1 + (n % 3)], '"},"seats":', toString(n % 50), '}')
FROM (
    SELECT number + {offset:UInt64} AS n, (n * 104729) % {customers:UInt64} AS c,
           toDateTime64({start:DateTime64(3, 'UTC')}, 3, 'UTC') + toIntervalMillisecond((n * 7919) % {span:UInt64}) AS t
    FROM numbers({count:UInt64})
)
"""


@dataclass
class Setup:
    tenant_id: str
    token: str
    distributor: str
    dashboard_id: str
    events: int


def _window(start: dt.datetime, end: dt.datetime) -> window_pb2.Window:
    w = window_pb2.Window(mode=window_pb2.WINDOW_MODE_RANGE)
    w.start_time.FromDatetime(start)
    w.end_time.FromDatetime(end)
    return w


def _program(engine) -> tuple[str, str, list[str]]:  # noqa: ANN001
    """A tenant with distributors and their resellers: (tenant id, admin token, partner ids)."""
    from libs.identity import models as m
    from libs.identity.tokens import new_id
    from services.directory.bootstrap import create_tenant

    t = create_tenant(engine, name="Bench program", admin_email="bench@example.com")
    ids: list[str] = []
    with Session(engine) as s, s.begin():
        for d in range(DISTRIBUTORS):
            dist = new_id("ptn")
            s.add(m.Partner(id=dist, tenant_id=t.tenant_id, name=f"Distributor {d}"))
            s.flush()
            ids.append(dist)
            for r in range(RESELLERS_EACH):
                res = new_id("ptn")
                s.add(m.Partner(id=res, tenant_id=t.tenant_id, name=f"Reseller {d}.{r}", parent_id=dist))
                ids.append(res)
    return t.tenant_id, t.token, ids


def _generate(pool, tenant_id: str, partners: list[str], n: int) -> None:  # noqa: ANN001
    span = int((END - START).total_seconds() * 1000)
    with pool.client() as client:
        for offset in range(0, n, CHUNK):
            client.command(_INSERT, parameters={
                "tenant": tenant_id, "partners": partners, "offset": offset, "customers": CUSTOMERS,
                "start": START, "span": span, "count": min(CHUNK, n - offset)})
            print(f"  generated {min(offset + CHUNK, n):,} / {n:,} events", flush=True)
        client.command("OPTIMIZE TABLE events FINAL")


def _dashboard(metrics: metrics_pb2_grpc.MetricsServiceStub, md) -> pb.Dashboard:  # noqa: ANN001
    def metric(**kw: Any) -> str:
        return metrics.CreateMetric(metrics_pb2.CreateMetricRequest(metric=metrics_pb2.Metric(**kw)), metadata=md).id

    signups = metric(name="Signups", aggregation="count", event_names=["signup"])
    revenue = metric(name="Revenue", aggregation="sum", field="amount", event_names=["purchase"])
    active = metric(name="Active customers", aggregation="unique", event_names=["login"])
    gold = filter_pb2.PropertyFilter(path="plan.tier", operator=filter_pb2.FILTER_OPERATOR_EQUALS)
    gold.values.add(string_value="gold")
    big = filter_pb2.PropertyFilter(path="amount", operator=filter_pb2.FILTER_OPERATOR_GREATER)
    big.values.add(number_value=99)
    return pb.Dashboard(name="Bench", default_window=_window(*Q2), widgets=[
        pb.Widget(id="signups", type="metric", metric_id=signups, position=pb.GridPosition(x=0, y=0, w=4, h=2)),
        pb.Widget(id="revenue", type="metric", metric_id=revenue, position=pb.GridPosition(x=4, y=0, w=4, h=2)),
        pb.Widget(id="active", type="metric", metric_id=active, position=pb.GridPosition(x=8, y=0, w=4, h=2)),
        pb.Widget(id="signups_daily", type="timeseries", metric_id=signups, grain=window_pb2.GRAIN_DAY,
                  position=pb.GridPosition(x=0, y=2, w=6, h=3)),
        pb.Widget(id="gold_revenue_weekly", type="timeseries", metric_id=revenue, grain=window_pb2.GRAIN_WEEK,
                  filters=[gold], position=pb.GridPosition(x=6, y=2, w=6, h=3)),
        pb.Widget(id="active_monthly", type="timeseries", metric_id=active, grain=window_pb2.GRAIN_MONTH,
                  window=_window(START, END), position=pb.GridPosition(x=0, y=5, w=12, h=3)),
        pb.Widget(id="purchases", type="event_list", event_names=["purchase"], columns=["amount", "plan.tier"],
                  limit=50, position=pb.GridPosition(x=0, y=8, w=6, h=4)),
        pb.Widget(id="big_tickets", type="event_list", filters=[big], columns=["amount"], limit=20,
                  position=pb.GridPosition(x=6, y=8, w=6, h=4)),
    ])


def _setup(host, channel, data_dir: pathlib.Path, n: int) -> Setup:  # noqa: ANN001
    marker = data_dir / "bench-dashboards.json"
    if marker.exists():
        saved = json.loads(marker.read_text())
        if saved["events"] == n:
            print(f"reusing {n:,} events in {data_dir}", flush=True)
            return Setup(**saved)
        raise SystemExit(f"{data_dir} holds {saved['events']:,} events; use another --data-dir")
    tenant_id, token, partners = _program(host.context.engine)
    print(f"generating {n:,} events ...", flush=True)
    started = time.perf_counter()
    _generate(host.context.clickhouse, tenant_id, partners, n)
    print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    md = (("authorization", f"Bearer {token}"),)
    d = _dashboard(metrics_pb2_grpc.MetricsServiceStub(channel), md)
    created = dashboards_pb2_grpc.DashboardsServiceStub(channel).CreateDashboard(
        pb.CreateDashboardRequest(dashboard=d), metadata=md)
    setup = Setup(tenant_id, token, partners[0], created.id, n)
    marker.write_text(json.dumps(setup.__dict__))
    return setup


class _Recorder:
    """Stands in for the metrics stub to capture the exact requests each widget sends."""

    def __init__(self) -> None:
        self.requests: list[Any] = []

    def QueryMetric(self, request, **_: Any):  # noqa: ANN001, ANN201, N802
        self.requests.append(request)
        return metrics_pb2.QueryMetricResponse()

    def QueryEvents(self, request, **_: Any):  # noqa: ANN001, ANN201, N802
        self.requests.append(request)
        return metrics_pb2.QueryEventsResponse()


def _compiled(engine, principal, dashboard: pb.Dashboard, level: level_pb2.Level) -> list[tuple[str, dict]]:  # noqa: ANN001
    """The SQL the metrics service runs for each widget of `dashboard` at `level`."""
    from libs.auth.resolve import scope_for_level
    from services.dashboards.render import widget_window
    from services.dashboards.widgets import RenderCall, widget_types
    from services.metrics.compiler import CompileContext, build_events_select, print_select, resolve_events
    from services.metrics.compiler.validate import validate_event_names, validate_filter_groups
    from services.metrics.definitions import groups_from_proto
    from services.metrics.query_metric import compile_plan, plan_metric_query, window_spec
    from services.metrics.tenancy import tenant_calendar

    recorder = _Recorder()
    for w in dashboard.widgets:
        widget_types()[w.type].render(RenderCall(widget=w, level=level, window=widget_window(w, None, dashboard),
                                                 time_zone="", metadata=(), timeout=60, metrics=recorder))
    out = []
    for request in recorder.requests:
        if isinstance(request, metrics_pb2.QueryMetricRequest):
            plan, _ = plan_metric_query(engine, principal, request)
            out.append(compile_plan(plan))
            continue
        # as services/metrics/query_events.py compiles a page of the event list
        scope = scope_for_level(engine, request.level, principal)
        zone, week_start = tenant_calendar(engine, principal.tenant_id)
        plan = resolve_events(
            scope=scope, event_names=validate_event_names(list(request.event_names), "event_names"),
            filter_groups=validate_filter_groups(groups_from_proto(request.filter_groups), "filter_groups"),
            window=window_spec(request.window) if request.HasField("window") else None, time_zone=zone,
            week_start=week_start, now=dt.datetime.now(dt.timezone.utc), limit=request.page_size + 1, after=None)
        ctx = CompileContext(scope)
        out.append((print_select(build_events_select(plan), ctx), ctx.params))
    return out


def _interleaved(runs: dict[str, Callable[[], object]], repeat: int) -> list[dict[str, float]]:
    """Seconds of each function in each of `repeat` rounds, after one warm-up round.

    Every round runs each function once, in turn, so a noisy neighbour slows all alike and
    ratios taken within a round stay meaningful."""
    for fn in runs.values():
        fn()
    rounds = []
    for _ in range(repeat):
        times = {}
        for name, fn in runs.items():
            started = time.perf_counter()
            fn()
            times[name] = time.perf_counter() - started
        rounds.append(times)
    return rounds


def _summary(rounds: list[dict[str, float]]) -> dict[str, float]:
    """Median time of each function, and the median over rounds of the ratios reported."""
    out = {name: statistics.median(r[name] for r in rounds) for name in rounds[0]}
    out["ratio"] = statistics.median(r["render"] / r["sql"] for r in rounds)
    out["speedup"] = statistics.median(r["c1"] / r[f"c{CONCURRENCY[-1]}"] for r in rounds)
    return out


def _measure(host, channel, setup: Setup, level: level_pb2.Level, repeat: int) -> dict[str, float]:  # noqa: ANN001
    from libs.identity.authenticate import Authenticator
    from services.dashboards.render import Renderer

    md = (("authorization", f"Bearer {setup.token}"),)
    stub = dashboards_pb2_grpc.DashboardsServiceStub(channel)
    request = pb.RenderDashboardRequest(dashboard_id=setup.dashboard_id, level=level)
    first = stub.RenderDashboard(request, metadata=md)
    failed = [(w.widget_id, w.error_code, w.error_message) for w in first.widgets if w.error_code]
    if failed:
        raise SystemExit(f"widgets failed: {failed}")
    dashboard = first.dashboard
    principal = Authenticator(host.context.engine)(setup.token)
    statements = _compiled(host.context.engine, principal, dashboard, first.effective_level)

    def raw_sql() -> None:
        with host.context.clickhouse.client() as client:
            for sql, params in statements:
                client.query(sql, parameters=params).result_rows  # noqa: B018 - fetch every row

    metrics = metrics_pb2_grpc.MetricsServiceStub(channel)

    def renderer(concurrency: int) -> Callable[[], object]:
        r = Renderer(lambda: metrics, concurrency=concurrency, widget_timeout=600)
        return lambda: r.render(dashboard, level=first.effective_level, window=None, time_zone="", metadata=md)

    runs: dict[str, Callable[[], object]] = {
        "sql": raw_sql, "render": lambda: stub.RenderDashboard(request, metadata=md),
        **{f"c{c}": renderer(c) for c in CONCURRENCY},
    }
    return {"statements": float(len(statements)), **_summary(_interleaved(runs, repeat))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.dashboards", description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000, help="events to generate (default 10 million)")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (medians reported)")
    parser.add_argument("--data-dir", type=pathlib.Path, help="keep the generated data here and reuse it")
    ns = parser.parse_args(argv or [])

    from libs.host import create_server
    from libs.store import make_engine, migrate

    # the figures measure time, not deadlines: a loaded machine must not fail widgets
    os.environ.setdefault("PARTNEROS_WIDGET_TIMEOUT", "600")
    data_dir = ns.data_dir or pathlib.Path(tempfile.mkdtemp(prefix="bench-dashboards-"))
    settings = Settings.from_env(env={}, data_dir=data_dir, grpc_port=0)
    migrate(make_engine(settings.database_url))
    host = create_server("127.0.0.1:0", services="directory,metrics,dashboards", settings=settings)
    try:
        with grpc.insecure_channel(host.address) as channel:
            setup = _setup(host, channel, data_dir, ns.events)
            levels = {"all partners": level_pb2.Level(kind=level_pb2.LEVEL_KIND_ALL_PARTNERS),
                      "one distributor": level_pb2.Level(kind=level_pb2.LEVEL_KIND_PARTNER, id=setup.distributor)}
            print(f"\n{setup.events:,} events, 8 widgets, median of {ns.repeat} interleaved rounds\n")
            cols = " | ".join(f"{c} at once" for c in CONCURRENCY)
            print(f"| level | statements | raw SQL back to back | RenderDashboard | ratio | {cols} | "
                  f"speed-up (8 vs 1) |")
            print("|---|---:|---:|---:|---:|" + "---:|" * len(CONCURRENCY) + "---:|")
            for name, level in levels.items():
                f = _measure(host, channel, setup, level, ns.repeat)
                by_c = " | ".join(f"{f[f'c{c}'] * 1000:.0f} ms" for c in CONCURRENCY)
                print(f"| {name} | {f['statements']:.0f} | {f['sql'] * 1000:.0f} ms | {f['render'] * 1000:.0f} ms | "
                      f"{f['ratio']:.2f} | {by_c} | {f['speedup']:.2f}× |", flush=True)
    finally:
        host.stop(grace=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
