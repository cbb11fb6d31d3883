"""Who sees what: the effective scope decides the rows, whatever the caller asks for.

For the forced slice of a partner user, the three ways in (Metabase's locked-parameter tests):
no level, their own level, another partner's level -- the caller must lose. Managers are refused
siblings; tenants never see each other, not even through forged partner ids on events.
"""
from __future__ import annotations

import datetime as dt

import grpc
import pytest
from partneros.common.v1 import level_pb2, window_pb2
from partneros.metrics.v1 import metrics_pb2 as pb

from tests.conftest import bearer
from tests.factories import World, operator, partner_user
from tests.metrics.conftest import event, insert_events

UTC = dt.timezone.utc
T0 = dt.datetime(2025, 2, 3, 10, tzinfo=UTC)
ALL, PARTNER, CUSTOMER = (level_pb2.LEVEL_KIND_ALL_PARTNERS, level_pb2.LEVEL_KIND_PARTNER,
                          level_pb2.LEVEL_KIND_CUSTOMER)
# events per partner key: distinct counts so every slice has its own total
WEIGHTS = {"dist_a": 1, "dist_b": 2, "res_a1": 4, "res_a2": 8, "sub_a1x": 16, "sub_a1y": 32}


@pytest.fixture(scope="module")
def world(engine, pool, stub):  # noqa: ANN001, ANN201
    w = World.build(engine, "Scope")
    rows = [event(w.tenant_id, w.partners[k], w.customers[k], "activation", T0 + dt.timedelta(minutes=i))
            for k, n in WEIGHTS.items() for i in range(n)]
    insert_events(pool, rows)
    metric = stub.CreateMetric(pb.CreateMetricRequest(metric=pb.Metric(name="Activations", aggregation="count")),
                               metadata=bearer(w.admin_token)).id
    return w, metric


def _window() -> window_pb2.Window:
    window = window_pb2.Window(mode=window_pb2.WINDOW_MODE_RANGE)
    window.start_time.FromDatetime(T0)
    window.end_time.FromDatetime(T0 + dt.timedelta(days=1))
    return window


def ask(stub, metric: str, token: str, kind: int | None = None, level_id: str = "",  # noqa: ANN001
        **kw) -> pb.QueryMetricResponse:
    request = pb.QueryMetricRequest(metric_id=metric, window=_window(), **kw)
    if kind is not None:
        request.level.CopyFrom(level_pb2.Level(kind=kind, id=level_id))
    return stub.QueryMetric(request, metadata=bearer(token))


def total(*keys: str) -> float:
    return float(sum(WEIGHTS[k] for k in keys))


A1_SLICE = ("res_a1", "sub_a1x", "sub_a1y")


def test_admin_levels(stub, world) -> None:  # noqa: ANN001
    w, metric = world
    assert ask(stub, metric, w.admin_token).value == total(*WEIGHTS)
    assert ask(stub, metric, w.admin_token, ALL).value == total(*WEIGHTS)
    assert ask(stub, metric, w.admin_token, PARTNER, w.partners["dist_a"]).value == total(
        "dist_a", "res_a1", "res_a2", "sub_a1x", "sub_a1y")
    got = ask(stub, metric, w.admin_token, CUSTOMER, w.customers["sub_a1x"])
    assert got.value == total("sub_a1x")
    assert (got.effective_level.kind, got.effective_level.id) == (CUSTOMER, w.customers["sub_a1x"])


@pytest.mark.parametrize("kind, target", [(None, ""), (ALL, ""), (PARTNER, "res_a1"), (PARTNER, "dist_a"),
                                          (PARTNER, "dist_b"), (PARTNER, "res_a2"), (CUSTOMER, "dist_b")])
def test_a_partner_user_is_forced_onto_their_slice(stub, engine, world, kind, target) -> None:  # noqa: ANN001
    """Absent level, own level, a parent's, a sibling's, another branch's, a foreign customer: always own slice."""
    w, metric = world
    _, token = partner_user(engine, w.tenant_id, w.partners["res_a1"])
    level_id = w.customers.get(target, "") if kind == CUSTOMER else w.partners.get(target, "")
    got = ask(stub, metric, token, kind, level_id)
    assert got.value == total(*A1_SLICE)
    assert (got.effective_level.kind, got.effective_level.id) == (PARTNER, w.partners["res_a1"])


def test_a_partner_user_may_narrow_inside_their_slice(stub, engine, world) -> None:  # noqa: ANN001
    w, metric = world
    _, token = partner_user(engine, w.tenant_id, w.partners["res_a1"])
    assert ask(stub, metric, token, PARTNER, w.partners["sub_a1y"]).value == total("sub_a1y")
    assert ask(stub, metric, token, CUSTOMER, w.customers["sub_a1x"]).value == total("sub_a1x")


def test_a_partner_user_gets_no_breakdown(stub, engine, world) -> None:  # noqa: ANN001
    w, metric = world
    _, token = partner_user(engine, w.tenant_id, w.partners["res_a1"])
    with pytest.raises(grpc.RpcError) as err:
        ask(stub, metric, token, breakdown_by_partner=True)
    assert err.value.code() is grpc.StatusCode.PERMISSION_DENIED


def test_a_manager_sees_assigned_partners_and_is_refused_siblings(stub, engine, world) -> None:  # noqa: ANN001
    w, metric = world
    _, token = operator(engine, w.tenant_id, role="manager", assigned=(w.partners["res_a1"],))
    assert ask(stub, metric, token).value == total(*A1_SLICE)
    assert ask(stub, metric, token, PARTNER, w.partners["sub_a1x"]).value == total("sub_a1x")
    for sibling in ("res_a2", "dist_a", "dist_b"):
        with pytest.raises(grpc.RpcError) as err:
            ask(stub, metric, token, PARTNER, w.partners[sibling])
        assert err.value.code() is grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as err:
        ask(stub, metric, token, CUSTOMER, w.customers["res_a2"])
    assert err.value.code() is grpc.StatusCode.NOT_FOUND
    rows = ask(stub, metric, token, breakdown_by_partner=True).breakdown
    assert {r.partner_id for r in rows} == {w.partners[k] for k in A1_SLICE}


def test_breakdown_has_a_row_per_visible_partner_then_the_rest(stub, world) -> None:  # noqa: ANN001
    w, metric = world
    rows = ask(stub, metric, w.admin_token, breakdown_by_partner=True, breakdown_limit=2).breakdown
    assert [(r.partner_name, r.value, r.is_rest) for r in rows] == [
        ("Sub A1y", 32.0, False), ("Sub A1x", 16.0, False), ("Other", 15.0, True)]
    rows = ask(stub, metric, w.admin_token, breakdown_by_partner=True).breakdown
    assert [r.partner_name for r in rows] == ["Sub A1y", "Sub A1x", "Reseller A2", "Reseller A1", "Distributor B",
                                             "Distributor A"]


def test_an_unknown_or_foreign_partner_level_is_not_found(stub, engine, world) -> None:  # noqa: ANN001
    w, metric = world
    other = World.build(engine, "Elsewhere")
    for kind, level_id in [(PARTNER, "ptn_nope"), (PARTNER, other.partners["dist_a"]),
                           (CUSTOMER, other.customers["dist_a"])]:
        with pytest.raises(grpc.RpcError) as err:
            ask(stub, metric, w.admin_token, kind, level_id)
        assert err.value.code() is grpc.StatusCode.NOT_FOUND


def test_events_of_another_tenant_never_count_even_with_forged_ids(stub, engine, pool, world) -> None:  # noqa: ANN001
    w, metric = world
    other = World.build(engine, "Forger")
    # rows of the other tenant that carry this tenant's partner and customer ids
    insert_events(pool, [event(other.tenant_id, w.partners["res_a1"], w.customers["res_a1"], "activation",
                               T0 + dt.timedelta(minutes=i)) for i in range(50)])
    assert ask(stub, metric, w.admin_token).value == total(*WEIGHTS)
    assert ask(stub, metric, w.admin_token, CUSTOMER, w.customers["res_a1"]).value == total("res_a1")
    listed = stub.QueryEvents(pb.QueryEventsRequest(page_size=1000), metadata=bearer(w.admin_token)).events
    assert len(listed) == total(*WEIGHTS)
    foreign = stub.CreateMetric(pb.CreateMetricRequest(metric=pb.Metric(name="Theirs", aggregation="count")),
                                metadata=bearer(other.admin_token)).id
    assert ask(stub, foreign, other.admin_token).value == 50.0  # theirs alone


def test_the_event_list_is_scoped_like_the_metrics(stub, engine, world) -> None:  # noqa: ANN001
    w, _ = world
    _, token = partner_user(engine, w.tenant_id, w.partners["res_a1"])
    for level in (None, level_pb2.Level(kind=ALL), level_pb2.Level(kind=PARTNER, id=w.partners["dist_b"])):
        request = pb.QueryEventsRequest(page_size=1000)
        if level is not None:
            request.level.CopyFrom(level)
        events = stub.QueryEvents(request, metadata=bearer(token)).events
        assert {e.partner_id for e in events} == {w.partners[k] for k in A1_SLICE}
        assert len(events) == total(*A1_SLICE)
