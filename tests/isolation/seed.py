"""Seed the world through the real gRPC APIs: the admins' ids, a key revoked through the
directory, metric definitions, dashboards, and events ingested with each tenant's unbound key.

Event ids are the same sequence in both tenants ("evt-0000", ...): both batches must be
accepted in full (an event id is never deduplicated across tenants), and resending one tenant's
batch must be all duplicates (dedupe still works inside the tenant).
"""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

from google.protobuf import struct_pb2
from partneros.common.v1 import filter_pb2, level_pb2, window_pb2
from partneros.dashboards.v1 import dashboards_pb2 as dpb
from partneros.directory.v1 import directory_pb2 as dirpb
from partneros.ingest.v1 import ingest_pb2 as ipb
from partneros.metrics.v1 import metrics_pb2 as mpb

from tests.isolation.transport import GrpcTransport
from tests.isolation.world import (
    DATA_END, DATA_START, Actor, Event, MetricDef, TenantWorld, World,
)

__all__ = ["seed", "METRICS", "range_window", "struct", "EVENTS_PER_TENANT"]

EQUALS, GREATER, LESS_OR_EQUAL = (filter_pb2.FILTER_OPERATOR_EQUALS, filter_pb2.FILTER_OPERATOR_GREATER,
                                  filter_pb2.FILTER_OPERATOR_LESS_OR_EQUAL)
# key -> (aggregation, event names, field, filter groups [(path, operator, values)])
METRICS: dict[str, tuple[str, tuple[str, ...], str, tuple]] = {
    "count_all": ("count", (), "", ()),
    "signups": ("count", ("signup",), "", ()),
    "revenue": ("sum", ("purchase",), "amount", ()),
    "customers": ("unique", (), "", ()),
    "tiers": ("unique", (), "plan.tier", ()),
    "gold_or_big": ("count", (), "", ((("plan.tier", EQUALS, ("gold",)),), (("amount", GREATER, (60,)),))),
}
EVENTS_PER_TENANT = 180
_BATCH = 100


def struct(values: dict[str, Any]) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(values)
    return out


def value(v: Any) -> struct_pb2.Value:
    out = struct_pb2.Value()
    if isinstance(v, str):
        out.string_value = v
    elif isinstance(v, bool):
        out.bool_value = v
    else:
        out.number_value = float(v)
    return out


def prop_filter(path: str, op: int, values: tuple[Any, ...]) -> filter_pb2.PropertyFilter:
    return filter_pb2.PropertyFilter(path=path, operator=op, values=[value(v) for v in values])


def range_window(start: dt.datetime, end: dt.datetime) -> window_pb2.Window:
    w = window_pb2.Window(mode=window_pb2.WINDOW_MODE_RANGE)
    w.start_time.FromDatetime(start)
    w.end_time.FromDatetime(end)
    return w


def _must(outcome, what: str):  # noqa: ANN001, ANN202
    assert outcome.ok, f"seeding failed at {what}: {outcome.describe()}"
    return outcome.response


def _identities(api: GrpcTransport, t: TenantWorld) -> None:
    admin = t.actors["admin"]
    me = _must(api.call("directory", "GetCallerIdentity", dirpb.GetCallerIdentityRequest(), admin.token), "identity")
    t.actors["admin"] = Actor(admin.name, admin.tenant, "admin", me.principal_id, admin.token)
    t.operator_ids.add(me.principal_id)
    response = _must(api.call("directory", "CreateMachineKey", dirpb.CreateMachineKeyRequest(
        machine_key=dirpb.MachineKey(display_name="retired", scopes=["events:write"], partner_id=t.partners["d1"])),
        admin.token), "create key")
    _must(api.call("directory", "RevokeMachineKey", dirpb.RevokeMachineKeyRequest(
        machine_key_id=response.machine_key.id), admin.token), "revoke key")
    t.actors["key.revoked"] = Actor(f"{t.key}:key.revoked", t.key, "key", response.machine_key.id, response.secret,
                                    partner_id=t.partners["d1"], revoked=True)
    t.key_ids.add(response.machine_key.id)


def _metrics(api: GrpcTransport, t: TenantWorld) -> None:
    token = t.actors["admin"].token
    for key, (aggregation, names, field, groups) in METRICS.items():
        metric = mpb.Metric(name=f"M {key}", aggregation=aggregation, event_names=names, field=field)
        for group in groups:
            metric.filter_groups.add(filters=[prop_filter(*f) for f in group])
        created = _must(api.call("metrics", "CreateMetric", mpb.CreateMetricRequest(metric=metric), token), key)
        t.metrics[key] = created.id
        t.definitions[created.id] = MetricDef(
            aggregation, names, tuple(field.split(".")) if field else None,
            tuple(tuple((tuple(p.split(".")), op, vals) for p, op, vals in g) for g in groups))


def _pos(x: int, y: int, w: int, h: int) -> dpb.GridPosition:
    return dpb.GridPosition(x=x, y=y, w=w, h=h)


DASHBOARD_WINDOW = (dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc), dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc))


def _dashboards(api: GrpcTransport, t: TenantWorld) -> None:
    m = t.metrics
    specs = {
        "overview": dpb.Dashboard(
            name="Overview", shared_with_partners=True, default_window=range_window(*DASHBOARD_WINDOW),
            widgets=[
                dpb.Widget(id="signups", type="metric", title="Signups", metric_id=m["signups"], position=_pos(0, 0, 4, 2)),
                dpb.Widget(id="revenue", type="metric", title="Revenue", metric_id=m["revenue"], position=_pos(4, 0, 4, 2)),
                dpb.Widget(id="trend", type="timeseries", title="Customers", metric_id=m["customers"],
                           grain=window_pb2.GRAIN_WEEK, position=_pos(0, 2, 8, 3)),
                dpb.Widget(id="feed", type="event_list", title="Latest", limit=15, columns=["amount", "plan.tier", "src"],
                           position=_pos(8, 0, 4, 5)),
                dpb.Widget(id="tiers", type="metric", title="Tiers", metric_id=m["tiers"], position=_pos(0, 5, 4, 2)),
            ]),
        "internal": dpb.Dashboard(
            name="Internal", shared_with_partners=False,
            widgets=[dpb.Widget(id="all", type="metric", title="All", metric_id=m["count_all"], position=_pos(0, 0, 4, 2))]),
        # A shared dashboard whose default level names one partner.
        "south_desk": dpb.Dashboard(
            name="South desk", shared_with_partners=True, default_window=range_window(*DASHBOARD_WINDOW),
            default_level=level_pb2.Level(kind=level_pb2.LEVEL_KIND_PARTNER, id=t.partners["r3"]),
            widgets=[
                dpb.Widget(id="gold", type="metric", title="Gold or big", metric_id=m["gold_or_big"],
                           filters=[prop_filter("amount", LESS_OR_EQUAL, (100,))], position=_pos(0, 0, 4, 2)),
                dpb.Widget(id="buys", type="event_list", title="Purchases", limit=5, event_names=["purchase"],
                           position=_pos(4, 0, 8, 3)),
            ]),
    }
    for key, dashboard in specs.items():
        created = _must(api.call("dashboards", "CreateDashboard", dpb.CreateDashboardRequest(dashboard=dashboard),
                                 t.actors["admin"].token), key)
        t.dashboards[key] = created


def _events(t: TenantWorld) -> list[tuple[Event, ipb.EventInput]]:
    """The tenant's base events: the same ids in both tenants, different customers and values."""
    rng = random.Random(f"isolation-events-{t.key}")
    span = int((DATA_END - DATA_START).total_seconds())
    customers = sorted(t.customers.values(), key=lambda c: c.key)
    out = []
    for i in range(EVENTS_PER_TENANT):
        c = rng.choice(customers)
        name = rng.choice(("signup", "purchase", "purchase", "login"))
        ts = DATA_START + dt.timedelta(seconds=rng.randrange(span))
        props: dict[str, Any] = {"src": c.partner_id}  # the partner's id in the payload: a leaked payload shows
        roll = rng.random()
        if roll < 0.85:
            props["amount"] = rng.randint(1, 120)
        elif roll < 0.95:
            props["amount"] = "n/a"
        if rng.random() < 0.8:
            props["plan"] = {"tier": rng.choice(("gold", "silver", "bronze"))}
        kind = rng.choice(("customer_id", "external_id", "email"))
        ref = {"customer_id": c.id, "external_id": c.external_id,
               "email": f"  {c.email.upper()} " if i % 5 == 0 else c.email}[kind]
        event = Event(t.id, f"evt-{i:04d}", c.id, c.partner_id, name, ts, props)
        message = ipb.EventInput(event_id=event.event_id, name=name, customer=ipb.CustomerRef(**{kind: ref}),
                                 properties=struct(props))
        message.timestamp.FromDatetime(ts)
        out.append((event, message))
    return out


def _ingest(api: GrpcTransport, world: World, t: TenantWorld) -> list[ipb.EventInput]:
    key = t.actors["key.all"].token
    pairs = _events(t)
    for start in range(0, len(pairs), _BATCH):
        chunk = pairs[start:start + _BATCH]
        response = _must(api.call("ingest", "IngestEvents", ipb.IngestEventsRequest(events=[m for _, m in chunk]), key),
                         "ingest")
        statuses = {r.status for r in response.results}
        assert statuses == {ipb.EVENT_STATUS_ACCEPTED}, (
            f"{t.key}: every base event must be accepted (event ids collide with the other tenant's, which must "
            f"not deduplicate them): {[(r.event_id, r.status, r.reason) for r in response.results if r.status != 1][:5]}")
        for event, _ in chunk:
            world.add_event(event)
    return [m for _, m in pairs]


def seed(api: GrpcTransport, world: World) -> None:
    """Everything after the directory rows, through the APIs."""
    first_batch = None
    for t in world.tenants.values():
        _identities(api, t)
        _metrics(api, t)
        _dashboards(api, t)
        sent = _ingest(api, world, t)
        first_batch = first_batch or sent[:_BATCH]
    t1 = world.tenants["t1"]
    again = _must(api.call("ingest", "IngestEvents", ipb.IngestEventsRequest(events=first_batch),
                           t1.actors["key.all"].token), "resend")
    assert {r.status for r in again.results} == {ipb.EVENT_STATUS_DUPLICATE}, "a resent batch must be all duplicates"
