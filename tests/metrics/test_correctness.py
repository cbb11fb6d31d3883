"""Every aggregation x level x window x grain, over generated events in three time zones
(DST changes, quarter and month edges hit to the millisecond), against an independent
computation (tests/metrics/oracle.py: Python payload rules, pandas calendar, DuckDB sums).

Counts and distinct counts must agree exactly, sums to 1e-9; windows, previous windows and
bucket edges to the millisecond; breakdown rows in order, top 3 plus the rest.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import random
from dataclasses import dataclass, field

import pandas as pd
import pytest
from google.protobuf import struct_pb2
from partneros.common.v1 import filter_pb2, level_pb2, window_pb2
from partneros.metrics.v1 import metrics_pb2 as pb

from services.directory.bootstrap import create_tenant
from tests import factories
from tests.conftest import bearer
from tests.metrics import oracle as o
from tests.metrics.conftest import event, insert_events

UTC = dt.timezone.utc
AS_OF = pd.Timestamp("2025-11-03 15:45:00.250", tz="UTC")
TENANTS = [("Europe/Berlin", 1), ("America/New_York", 7), ("Asia/Kolkata", 6)]
# UTC instants of the 2025 daylight-saving changes.
DST = {"Europe/Berlin": ["2025-03-30 01:00", "2025-10-26 01:00"],
       "America/New_York": ["2025-03-09 07:00", "2025-11-02 06:00"], "Asia/Kolkata": []}
BREAKDOWN_LIMIT = 3

METRICS = {
    "count_all": dict(aggregation="count"),
    "revenue": dict(aggregation="sum", field="amount", event_names=["purchase"]),
    "customers": dict(aggregation="unique", event_names=["usage", "purchase"]),
    "regions": dict(aggregation="unique", field="region"),
    "filtered_count": dict(aggregation="count", groups=[
        [("plan.tier", "IN", ["enterprise", "pro"]), ("seats", "GREATER_OR_EQUAL", [5])],
        [("region", "CONTAINS", ["eu"]), ("flag", "EQUALS", [True])],
    ]),
    "filtered_seats": dict(aggregation="sum", field="seats", groups=[
        [("plan.tier", "NOT_EQUALS", ["free"]), ("seats", "LESS", [15]), ("coupon", "NOT_EXISTS", [])],
        [("region", "NOT_IN", ["apac", 7]), ("amount", "GREATER", [100]), ("amount", "LESS_OR_EQUAL", [400])],
        [("flag", "EXISTS", []), ("amount", "EQUALS", [None])],
        [("region", "EQUALS", [7])],
        [("flag", "EQUALS", [False]), ("amount", "IN", ["12.50", 3, True])],
    ]),
}
KIND = {"count_all": "count", "revenue": "sum", "customers": "unique_customers", "regions": "unique_values",
        "filtered_count": "count", "filtered_seats": "sum"}

W = o.Window
PAIRS: list[tuple[str, o.Window, list[int]]] = [
    ("day/current", W(o.DAY, o.CURRENT), [o.G_HOUR]),
    ("day/last", W(o.DAY, o.LAST), [0]),
    ("day/trailing3", W(o.DAY, o.TRAILING, 3), [o.G_HOUR]),
    ("week/current", W(o.WEEK, o.CURRENT), [o.G_DAY]),
    ("week/last", W(o.WEEK, o.LAST), [o.G_DAY]),
    ("week/trailing2", W(o.WEEK, o.TRAILING, 2), [o.G_WEEK]),
    ("month/current", W(o.MONTH, o.CURRENT), [o.G_WEEK]),
    ("month/last", W(o.MONTH, o.LAST), [o.G_DAY]),
    ("month/trailing2", W(o.MONTH, o.TRAILING, 2), [o.G_MONTH]),
    ("quarter/current", W(o.QUARTER, o.CURRENT), [o.G_MONTH]),
    ("quarter/last", W(o.QUARTER, o.LAST), [o.G_WEEK]),
    ("quarter/trailing3", W(o.QUARTER, o.TRAILING, 3), [o.G_QUARTER]),
    ("default", W(), [0]),
    ("range/spring-dst", W(mode=o.RANGE, start=dt.datetime(2025, 3, 8, 18, tzinfo=UTC),
                           end=dt.datetime(2025, 3, 31, 6, 30, tzinfo=UTC)), [o.G_HOUR, o.G_DAY]),
    ("range/quarter-edge", W(mode=o.RANGE, start=dt.datetime(2025, 9, 29, 12, 0, 0, 1000, tzinfo=UTC),
                             end=dt.datetime(2025, 10, 2, 3, tzinfo=UTC)), [o.G_DAY, o.G_QUARTER]),
]


@dataclass
class Level:
    label: str
    token: str
    level: level_pb2.Level | None
    partners: frozenset[str]
    customer: str | None
    operator: bool


@dataclass
class Tenant:
    tenant_id: str
    tz: str
    week_start: int
    frame: pd.DataFrame
    names: dict[str, str]
    levels: list[Level]
    metrics: dict[str, str] = field(default_factory=dict)


def _props(rng: random.Random) -> dict:
    p: dict = {}
    r = rng.random()
    if r < 0.40:
        p["amount"] = rng.randint(1, 500)
    elif r < 0.75:
        p["amount"] = round(rng.uniform(0, 500), 2)
    elif r < 0.80:
        p["amount"] = "12.50"
    elif r < 0.85:
        p["amount"] = None
    elif r < 0.87:
        p["amount"] = True
    elif r < 0.90:
        p["amount"] = {"v": 1}
    if rng.random() < 0.8:
        p["plan"] = {"tier": rng.choice(["enterprise", "pro", "free"])}
    elif rng.random() < 0.3:
        p["plan"] = "enterprise"
    if rng.random() < 0.8:
        p["seats"] = rng.randint(1, 20)
    if rng.random() < 0.9:
        p["region"] = rng.choice(["eu-west", "eu-central", "us-east", "apac", 7, 7.0, True, None, "7"])
    if rng.random() < 0.7:
        p["flag"] = rng.random() < 0.5
    if rng.random() < 0.3:
        p["coupon"] = "SPRING"
    return p


def _instants(tz: str, rng: random.Random) -> list[pd.Timestamp]:
    """Uniform instants plus a cluster at every edge a window or bucket can have."""
    lo, hi = pd.Timestamp("2024-12-20", tz="UTC"), AS_OF + pd.Timedelta(days=2)
    out = [lo + (hi - lo) * rng.random() for _ in range(1200)]
    edges = [pd.Timestamp(t, tz="UTC") for t in DST[tz]]
    local_days = [pd.Timestamp(d) for d in ("2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01", "2025-09-01",
                                            "2025-11-01", "2025-11-02", "2025-11-03", "2025-10-27", "2025-10-26",
                                            "2025-10-25", "2025-11-04", "2025-03-30", "2025-03-09", "2025-03-31")]
    edges += [d.tz_localize(tz).tz_convert("UTC") for d in local_days]
    edges.append(AS_OF)
    steps = [-3600_000, -1800_000, -1, 0, 1, 1800_000, 3599_999]
    out += [e + pd.Timedelta(milliseconds=s) for e in edges for s in steps]
    return [t.floor("ms") for t in out]


def _build_tenant(engine, pool, stub, index: int, tz: str, week_start: int) -> Tenant:  # noqa: ANN001
    rng = random.Random(1000 + index)
    boot = create_tenant(engine, name=f"Correctness {index}", admin_email=f"admin{index}@example.com",
                         time_zone=tz, week_start=week_start)
    t = boot.tenant_id
    p: dict[str, str] = {}
    p["dist_a"] = factories.partner(engine, t, "Distributor A")
    p["dist_b"] = factories.partner(engine, t, "Distributor B")
    p["res_a1"] = factories.partner(engine, t, "Reseller A1", p["dist_a"])
    p["res_a2"] = factories.partner(engine, t, "Reseller A2", p["dist_a"])
    p["sub_a1x"] = factories.partner(engine, t, "Sub A1x", p["res_a1"])
    customers = [(factories.customer(engine, t, pid), pid) for pid in p.values() for _ in range(2)]
    rows, frame_rows = [], []
    for ts in _instants(tz, rng):
        cid, pid = rng.choice(customers)
        name = rng.choice(["purchase", "usage", "signup"])
        props = _props(rng)
        rows.append(event(t, pid, cid, name, ts.to_pydatetime(), props))
        frame_rows.append({"ts": ts, "partner": pid, "customer": cid, "name": name, "props": props})
    insert_events(pool, rows)
    frame = pd.DataFrame(frame_rows)
    _, manager = factories.operator(engine, t, role="manager", assigned=(p["dist_b"],))
    _, puser = factories.partner_user(engine, t, p["res_a1"])
    sub_a = frozenset({p["dist_a"], p["res_a1"], p["res_a2"], p["sub_a1x"]})
    c0, c0_partner = customers[4]  # a customer of res_a1
    levels = [
        Level("admin/all", boot.token, level_pb2.Level(kind=level_pb2.LEVEL_KIND_ALL_PARTNERS),
              frozenset(p.values()), None, True),
        Level("admin/dist_a", boot.token, level_pb2.Level(kind=level_pb2.LEVEL_KIND_PARTNER, id=p["dist_a"]),
              sub_a, None, True),
        Level("admin/customer", boot.token, level_pb2.Level(kind=level_pb2.LEVEL_KIND_CUSTOMER, id=c0),
              frozenset({c0_partner}), c0, True),
        Level("manager/absent", manager, None, frozenset({p["dist_b"]}), None, True),
        Level("partner-user/forced", puser, level_pb2.Level(kind=level_pb2.LEVEL_KIND_PARTNER, id=p["dist_b"]),
              frozenset({p["res_a1"], p["sub_a1x"]}), None, False),
    ]
    names = {pid: n for pid, n in zip(p.values(), ["Distributor A", "Distributor B", "Reseller A1", "Reseller A2",
                                                    "Sub A1x"])}
    tenant = Tenant(t, tz, week_start, frame, names, levels)
    for key, spec in METRICS.items():
        metric = pb.Metric(name=key, aggregation=spec["aggregation"], field=spec.get("field", ""),
                           event_names=spec.get("event_names", []))
        for group in spec.get("groups", []):
            g = metric.filter_groups.add()
            for path, op, values in group:
                g.filters.add(path=path, operator=filter_pb2.FilterOperator.Value(f"FILTER_OPERATOR_{op}"),
                              values=[_value(v) for v in values])
        tenant.metrics[key] = stub.CreateMetric(pb.CreateMetricRequest(metric=metric), metadata=bearer(boot.token)).id
    return tenant


def _value(v: object) -> struct_pb2.Value:
    out = struct_pb2.Value()
    if v is None:
        out.null_value = struct_pb2.NULL_VALUE
    elif isinstance(v, bool):
        out.bool_value = v
    elif isinstance(v, (int, float)):
        out.number_value = v
    else:
        out.string_value = v
    return out


@pytest.fixture(scope="module")
def tenants(engine, pool, stub) -> list[Tenant]:  # noqa: ANN001
    return [_build_tenant(engine, pool, stub, i, tz, ws) for i, (tz, ws) in enumerate(TENANTS)]


def _metric_frame(tenant: Tenant, key: str) -> pd.DataFrame:
    """Events of the tenant matching the metric's names and filters, with num and vkey columns."""
    spec = METRICS[key]
    f = tenant.frame
    mask = pd.Series(True, index=f.index)
    if spec.get("event_names"):
        mask &= f["name"].isin(spec["event_names"])
    groups = spec.get("groups")
    if groups:
        mask &= f["props"].map(lambda props: any(
            all(o.matches(props, {"path": pth, "op": op, "values": vals}) for pth, op, vals in g) for g in groups))
    out = f[mask]
    path = spec.get("field")
    frame = pd.DataFrame({"ts_ms": out["ts"].map(_ts).astype("int64"), "partner": out["partner"],
                          "customer": out["customer"]})
    values = [o.lookup(pr, path) if path else None for pr in out["props"]]
    frame["num"] = pd.Series([float(v) if o.is_number(v) else None for v in values], index=out.index, dtype="float64")
    frame["vkey"] = pd.Series([o.value_key(pr, path) if path else None for pr in out["props"]], index=out.index,
                              dtype="object")
    for tz in (tenant.tz, "Australia/Sydney"):
        for grain in (o.G_HOUR, o.G_DAY, o.G_WEEK, o.G_MONTH, o.G_QUARTER):
            frame[_bucket_column(tz, grain)] = _buckets(tenant, tz, grain).loc[out.index].astype("int64")
    return frame


def _bucket_column(tz: str, grain: int) -> str:
    return f"b_{tz.replace('/', '_').lower()}_{grain}"


_BUCKETS: dict[tuple[str, str, int], pd.Series] = {}


def _buckets(tenant: Tenant, tz: str, grain: int) -> pd.Series:
    """Bucket start (UTC ms) of every event of the tenant, computed once per zone and grain."""
    key = (tenant.tenant_id, tz, grain)
    if key not in _BUCKETS:
        _BUCKETS[key] = o.bucket_of(tenant.frame["ts"], grain, tz, tenant.week_start).map(_ts)
    return _BUCKETS[key]


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _ts(t: pd.Timestamp) -> int:
    return int(t.value // 1_000_000)


def _pb_ms(ts) -> int:  # noqa: ANN001
    return ts.seconds * 1000 + ts.nanos // 1_000_000


def _request(tenant: Tenant, key: str, lvl: Level, w: o.Window, grain: int, tz: str | None) -> pb.QueryMetricRequest:
    window = window_pb2.Window(period=w.period, mode=w.mode, count=w.count)
    if w.start is not None:
        window.start_time.FromDatetime(w.start)
        window.end_time.FromDatetime(w.end)
    req = pb.QueryMetricRequest(metric_id=tenant.metrics[key], window=window, grain=grain, compare_previous=True,
                                breakdown_by_partner=lvl.operator, breakdown_limit=BREAKDOWN_LIMIT,
                                time_zone=tz or "")
    if lvl.level is not None:
        req.level.CopyFrom(lvl.level)
    req.as_of_time.FromDatetime(AS_OF.to_pydatetime())
    return req


def _compare(resp: pb.QueryMetricResponse, tenant: Tenant, key: str, lvl: Level, label: str, w: o.Window,
             grain: int, tz_override: str | None = None) -> list[str]:
    tz, ws = tz_override or tenant.tz, tenant.week_start
    where = f"{tenant.tz}{'->' + tz_override if tz_override else ''} {key} {lvl.label} {label} grain={grain}"
    problems: list[str] = []
    start, end = o.window_edges(w, AS_OF, tz, ws)
    pstart, pend = o.previous_edges(w, start, end, AS_OF, tz, ws)
    if (_pb_ms(resp.start_time), _pb_ms(resp.end_time)) != (_ts(start), _ts(end)):
        problems.append(f"{where}: window {resp.start_time} {resp.end_time} != {start} {end}")
    if (_pb_ms(resp.previous_start_time), _pb_ms(resp.previous_end_time)) != (_ts(pstart), _ts(pend)):
        problems.append(f"{where}: previous window != {pstart} {pend}")
    kind, table, partners = KIND[key], _table(tenant, key), sorted(lvl.partners)

    def agg(lo: pd.Timestamp, hi: pd.Timestamp, by: str | None = None, only: list[str] | None = None) -> dict:
        return STORE.aggregate(table, kind, _ts(lo), _ts(hi), only or partners, lvl.customer, by)

    value, skipped = agg(start, end).get(0, (0.0, 0))
    prev_value, _ = agg(pstart, pend).get(0, (0.0, 0))
    if not _close(resp.value, value):
        problems.append(f"{where}: value {resp.value} != {value}")
    if kind == "sum" and resp.skipped_count != skipped:
        problems.append(f"{where}: skipped {resp.skipped_count} != {skipped}")
    if not _close(resp.previous_value, prev_value):
        problems.append(f"{where}: previous {resp.previous_value} != {prev_value}")
    if prev_value and not _close(resp.change.value, (value - prev_value) / prev_value):
        problems.append(f"{where}: change {resp.change.value}")
    if not prev_value and resp.HasField("change"):
        problems.append(f"{where}: change set while previous is 0")
    if grain:
        expected_starts = [_ts(b) for b in o.bucket_list(start, end, grain, tz, ws)]
        got_starts = [_pb_ms(b.start_time) for b in resp.buckets]
        if got_starts != expected_starts:
            problems.append(f"{where}: bucket starts differ ({len(got_starts)} vs {len(expected_starts)})")
        else:
            per = agg(start, end, by=_bucket_column(tz, grain))
            for b, s in zip(resp.buckets, expected_starts):
                if not _close(b.value, per.get(s, (0.0, 0))[0]):
                    problems.append(f"{where}: bucket {pd.Timestamp(s, unit='ms', tz='UTC')} {b.value} != {per.get(s)}")
    elif resp.buckets:
        problems.append(f"{where}: buckets without a grain")
    if lvl.operator:
        per = agg(start, end, by="partner")
        order = sorted(lvl.partners, key=lambda pid: (-per.get(pid, (0.0, 0))[0], tenant.names[pid], pid))
        expected = [(pid, per.get(pid, (0.0, 0))[0]) for pid in order[:BREAKDOWN_LIMIT]]
        rest = order[BREAKDOWN_LIMIT:]
        if rest:
            expected.append(("", agg(start, end, only=sorted(rest)).get(0, (0.0, 0))[0]))
        got = [(r.partner_id, r.value) for r in resp.breakdown]
        if [g[0] for g in got] != [e[0] for e in expected] or not all(_close(g[1], e[1]) for g, e in zip(got, expected)):
            problems.append(f"{where}: breakdown {got} != {expected}")
    return problems


STORE = o.EventStore()


def _table(tenant: Tenant, key: str) -> str:
    return f"t{tenant.tenant_id.split('_')[-1]}_{key}"


# Every other grain with every window, swept for one additive and one distinct-count metric
# (hours only over windows of at most a few weeks: thousands of hourly buckets prove nothing more).
OTHER_GRAINS = [(label, w, [g for g in range(6) if g not in grains
                            and not (g == o.G_HOUR and w.period in (o.MONTH, o.QUARTER, 0) and w.mode != o.RANGE)])
                for label, w, grains in PAIRS]


def _run_level(stub, tenant: Tenant, key: str, lvl: Level, tz_override: str | None = None,  # noqa: ANN001
               pairs: list = PAIRS) -> tuple[int, list[str]]:
    """Every window and grain of one metric at one level."""
    problems: list[str] = []
    checked = 0
    for label, w, grains in pairs:
        for grain in grains:
            resp = stub.QueryMetric(_request(tenant, key, lvl, w, grain, tz_override), metadata=bearer(lvl.token))
            problems += _compare(resp, tenant, key, lvl, label, w, grain, tz_override)
            checked += 1
    return checked, problems


@pytest.mark.parametrize("index", range(len(TENANTS)), ids=[tz for tz, _ in TENANTS])
def test_every_aggregation_level_window_and_grain_matches_the_independent_computation(stub, tenants, index) -> None:  # noqa: ANN001
    tenant = tenants[index]
    problems: list[str] = []
    checked = 0
    for key in METRICS:
        STORE.load(_table(tenant, key), _metric_frame(tenant, key))
        levels = tenant.levels if key in ("count_all", "revenue", "customers", "regions") else tenant.levels[:1]
        for lvl in levels:
            n, found = _run_level(stub, tenant, key, lvl)
            checked, problems = checked + n, problems + found
        if key in ("count_all", "customers"):
            n, found = _run_level(stub, tenant, key, tenant.levels[0], pairs=OTHER_GRAINS)
            checked, problems = checked + n, problems + found
        if index == 0 and key in ("count_all", "revenue"):  # the zone given with the query wins over the tenant's
            n, found = _run_level(stub, tenant, key, tenant.levels[0], "Australia/Sydney")
            checked, problems = checked + n, problems + found
    assert checked > 500
    assert not problems, f"{len(problems)} of {checked} queries disagree:\n" + "\n".join(problems[:25])


def test_generated_events_cover_dst_and_quarter_edges(tenants) -> None:  # noqa: ANN001
    """The data really holds events within a millisecond of each edge the windows use."""
    berlin = tenants[0].frame["ts"]
    for edge in ["2025-03-30 01:00", "2025-10-26 01:00", "2025-09-30 22:00", "2025-06-30 22:00"]:
        at = pd.Timestamp(edge, tz="UTC")
        assert ((berlin - at).abs() <= pd.Timedelta(milliseconds=1)).sum() >= 2, edge

