"""RenderDashboard through the real metrics service: values, the forced slice, managers, admins,
failing widgets, changed metrics and window overrides."""
from __future__ import annotations

import datetime as dt
import json

import grpc
import pytest
from google.protobuf import duration_pb2, field_mask_pb2, json_format
from partneros.common.v1 import level_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb
from partneros.dashboards.v1 import dashboards_pb2_grpc as pb_grpc
from partneros.metrics.v1 import metrics_pb2

from libs.errors import from_rpc_error
from tests import factories
from tests.conftest import bearer
from tests.dashboards.program import WEEK_START, Program, build_program, range_window

PARTNER, CUSTOMER, ALL = level_pb2.LEVEL_KIND_PARTNER, level_pb2.LEVEL_KIND_CUSTOMER, level_pb2.LEVEL_KIND_ALL_PARTNERS


@pytest.fixture
def program(host, channel) -> Program:  # noqa: ANN001
    return build_program(host, channel)


def _data(response: pb.RenderDashboardResponse) -> dict[str, dict]:
    """widget id -> data, asserting no widget failed."""
    errors = {w.widget_id: (w.error_code, w.error_message) for w in response.widgets if w.error_code}
    assert errors == {}
    return {w.widget_id: json_format.MessageToDict(w.data) for w in response.widgets}


def _values(response: pb.RenderDashboardResponse) -> dict[str, float]:
    data = _data(response)
    return {"count": data["signups"]["value"], "sum": data["revenue"]["value"], "unique": data["customers"]["value"]}


def test_every_widget_type_renders_at_all_partners(program: Program) -> None:
    r = program.render(program.world.admin_token)
    data = _data(r)
    assert [w.widget_id for w in r.widgets] == ["signups", "revenue", "customers", "trend", "feed"]
    assert r.effective_level == level_pb2.Level(kind=ALL) and r.dashboard.id == program.dashboard.id
    assert _values(r) == program.expected()
    signups = data["signups"]
    assert signups["previous_value"] == 1 and signups["change"] == pytest.approx((21 - 1) / 1)
    assert signups["previous_start_time"] == "2026-02-23T00:00:00Z" and signups["end_time"] == "2026-03-09T00:00:00Z"
    trend = data["trend"]
    assert trend["grain"] == "GRAIN_DAY" and len(trend["buckets"]) == 7
    for i, bucket in enumerate(trend["buckets"]):
        day = WEEK_START + dt.timedelta(days=i)
        assert bucket["start_time"] == day.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert bucket["value"] == program.expected(start=day, end=day + dt.timedelta(days=1))["count"]
    feed = data["feed"]
    newest = sorted((e for e in program.events if e.name == "signup" and e.ts >= WEEK_START),
                    key=lambda e: e.ts, reverse=True)[:5]
    assert [row["timestamp"][:19] for row in feed["events"]] == [e.ts.strftime("%Y-%m-%dT%H:%M:%S") for e in newest]
    assert feed["columns"] == ["plan.tier", "amount"] and feed["has_more"] is True
    assert [row["values"] for row in feed["events"]] == [
        {"plan.tier": e.properties["plan"]["tier"], "amount": e.properties["amount"]} for e in newest]


@pytest.mark.parametrize("asked", [None, "own", "other partner", "other customer", "all partners"])
def test_a_partner_user_always_gets_their_own_slice(program: Program, host, asked: str | None) -> None:  # noqa: ANN001
    w = program.world
    _, token = factories.partner_user(host.context.engine, w.tenant_id, w.partners["res_a1"])
    level = {None: None, "own": level_pb2.Level(kind=PARTNER, id=w.partners["res_a1"]),
             "other partner": level_pb2.Level(kind=PARTNER, id=w.partners["dist_b"]),
             "other customer": level_pb2.Level(kind=CUSTOMER, id=w.customers["res_a2"]),
             "all partners": level_pb2.Level(kind=ALL)}[asked]
    r = program.render(token, level=level) if level is not None else program.render(token)
    assert r.effective_level == level_pb2.Level(kind=PARTNER, id=w.partners["res_a1"])
    assert _values(r) == program.expected(program.partners_under("res_a1"))
    assert {row["partner_id"] for row in _data(r)["feed"]["events"]} <= program.partners_under("res_a1")


def test_a_partner_user_is_forced_even_when_the_dashboard_defaults_to_another_partner(program: Program, host) -> None:  # noqa: ANN001
    w = program.world
    d = pb.Dashboard()
    d.CopyFrom(program.dashboard)
    d.default_level.CopyFrom(level_pb2.Level(kind=PARTNER, id=w.partners["dist_b"]))
    d = program.dashboards.UpdateDashboard(pb.UpdateDashboardRequest(dashboard=d), metadata=bearer(w.admin_token))
    _, token = factories.partner_user(host.context.engine, w.tenant_id, w.partners["sub_a1x"])
    r = program.render(token)
    assert r.effective_level == level_pb2.Level(kind=PARTNER, id=w.partners["sub_a1x"])
    assert _values(r) == program.expected({w.partners["sub_a1x"]})
    assert _values(program.render(w.admin_token)) == program.expected({w.partners["dist_b"]})


def test_a_partner_user_may_narrow_to_a_sub_partner_inside_their_slice(program: Program, host) -> None:  # noqa: ANN001
    w = program.world
    _, token = factories.partner_user(host.context.engine, w.tenant_id, w.partners["res_a1"])
    r = program.render(token, level=level_pb2.Level(kind=PARTNER, id=w.partners["sub_a1y"]))
    assert r.effective_level == level_pb2.Level(kind=PARTNER, id=w.partners["sub_a1y"])
    assert _values(r) == program.expected({w.partners["sub_a1y"]})


def test_a_manager_renders_their_partners_and_never_a_sibling(program: Program, host) -> None:  # noqa: ANN001
    w = program.world
    _, token = factories.operator(host.context.engine, w.tenant_id, role="manager", assigned=(w.partners["dist_a"],))
    mine = program.render(token)
    assert mine.effective_level == level_pb2.Level(kind=ALL)
    assert _values(mine) == program.expected(program.partners_under("dist_a"))
    one = program.render(token, level=level_pb2.Level(kind=PARTNER, id=w.partners["res_a2"]))
    assert _values(one) == program.expected({w.partners["res_a2"]})
    with pytest.raises(grpc.RpcError) as err:
        program.render(token, level=level_pb2.Level(kind=PARTNER, id=w.partners["dist_b"]))
    assert err.value.code() is grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as err:
        program.render(token, level=level_pb2.Level(kind=CUSTOMER, id=w.customers["dist_b"]))
    assert err.value.code() in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.NOT_FOUND)


def test_an_admin_renders_any_level(program: Program) -> None:
    w = program.world
    r = program.render(w.admin_token, level=level_pb2.Level(kind=CUSTOMER, id=w.customers["sub_a1x"]))
    assert r.effective_level == level_pb2.Level(kind=CUSTOMER, id=w.customers["sub_a1x"])
    assert _values(r) == program.expected({w.partners["sub_a1x"]})
    r = program.render(w.admin_token, level=level_pb2.Level(kind=PARTNER, id=w.partners["dist_b"]))
    assert _values(r) == program.expected({w.partners["dist_b"]})


def test_a_widget_past_its_deadline_fails_alone(program: Program) -> None:
    d = pb.Dashboard()
    d.CopyFrom(program.dashboard)
    d.widgets[1].timeout.CopyFrom(duration_pb2.Duration(nanos=1000))
    program.dashboards.UpdateDashboard(pb.UpdateDashboardRequest(dashboard=d), metadata=bearer(program.world.admin_token))
    r = program.render(program.world.admin_token)
    codes = {w.widget_id: w.error_code for w in r.widgets}
    assert codes == {"signups": "", "revenue": "DEADLINE_EXCEEDED", "customers": "", "trend": "", "feed": ""}
    assert "deadline" in r.widgets[1].error_message
    assert json_format.MessageToDict(r.widgets[0].data)["value"] == program.expected()["count"]


def test_deleting_a_metric_in_use_is_refused_unless_forced_then_its_widgets_say_so(program: Program) -> None:
    md = bearer(program.world.admin_token)
    metric_id = program.metrics["sum"]
    with pytest.raises(grpc.RpcError) as err:
        program.metrics_stub.DeleteMetric(metrics_pb2.DeleteMetricRequest(metric_id=metric_id), metadata=md)
    assert err.value.code() is grpc.StatusCode.FAILED_PRECONDITION
    assert program.dashboard.id in err.value.details() or program.dashboard.name in err.value.details()
    program.metrics_stub.DeleteMetric(metrics_pb2.DeleteMetricRequest(metric_id=metric_id, force=True), metadata=md)
    r = program.render(program.world.admin_token)
    failed = {w.widget_id: w for w in r.widgets if w.error_code}
    assert list(failed) == ["revenue"]
    assert failed["revenue"].error_code == "NOT_FOUND" and metric_id in failed["revenue"].error_message
    assert json_format.MessageToDict(r.widgets[0].data)["value"] == program.expected()["count"]
    # the broken widget stays editable around; a new widget on the deleted metric is refused
    d = r.dashboard
    d.name = "Renamed while a widget is broken"
    d = program.dashboards.UpdateDashboard(pb.UpdateDashboardRequest(dashboard=d), metadata=md)
    d.widgets.add(id="again", type="metric", metric_id=metric_id, position=pb.GridPosition(x=0, y=8, w=2, h=1))
    with pytest.raises(grpc.RpcError) as err:
        program.dashboards.UpdateDashboard(pb.UpdateDashboardRequest(dashboard=d), metadata=md)
    assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert from_rpc_error(err.value).reason == "METRIC_NOT_FOUND"


def test_widgets_must_show_a_metric_of_the_tenant(program: Program, host) -> None:  # noqa: ANN001
    _, other = factories.tenant(host.context.engine)
    for token, metric_id in [(program.world.admin_token, "met_missing"), (other, program.metrics["count"])]:
        d = pb.Dashboard(name="D", widgets=[pb.Widget(id="k", type="metric", title="KPI", metric_id=metric_id,
                                                      position=pb.GridPosition(w=3, h=2))])
        with pytest.raises(grpc.RpcError) as err:
            program.dashboards.CreateDashboard(pb.CreateDashboardRequest(dashboard=d), metadata=bearer(token))
        info = from_rpc_error(err.value)
        assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT and info.reason == "METRIC_NOT_FOUND"
        assert info.metadata["widget_id"] == "k" and "'KPI'" in err.value.details()


def test_a_changed_metric_renders_with_its_current_definition(program: Program) -> None:
    md = bearer(program.world.admin_token)
    before = _data(program.render(program.world.admin_token))["signups"]
    edit = metrics_pb2.Metric(id=program.metrics["count"], event_names=["signup", "login"])
    program.metrics_stub.UpdateMetric(metrics_pb2.UpdateMetricRequest(
        metric=edit, update_mask=field_mask_pb2.FieldMask(paths=["event_names"])), metadata=md)
    after = _data(program.render(program.world.admin_token))["signups"]
    assert after["value"] == program.expected(names=("signup", "login"))["count"]
    assert after["metric_version"] == before["metric_version"] + 1


def test_a_window_asked_at_render_applies_to_widgets_without_their_own(program: Program) -> None:
    day = range_window(WEEK_START, WEEK_START + dt.timedelta(days=1))
    r = program.render(program.world.admin_token, window=day)
    data = _data(r)
    assert data["signups"]["value"] == program.expected(end=WEEK_START + dt.timedelta(days=1))["count"]
    assert len(data["trend"]["buckets"]) == 1


def test_an_event_list_shows_values_no_struct_can_carry_as_json_text(host, channel, world) -> None:  # noqa: ANN001
    """A payload deeper than a Struct decodes, sent as JSON text: the feed still renders, and a
    column holding such a value (or an integer a double cannot hold) shows its JSON text."""
    from partneros.ingest.v1 import ingest_pb2

    from tests.ingest.helpers import call

    _, key = factories.machine_key(host.context.engine, world.tenant_id)
    deep: object = "bottom"
    for _ in range(40):
        deep = {"a": deep}
    sent = ingest_pb2.EventInput(event_id="deep-1", name="deep_feed", customer=ingest_pb2.CustomerRef(
        external_id="ext-dist_a"), properties_json=json.dumps({"deep": deep, "n": 2**60 + 1, "tier": "pro"}))
    assert call(channel, key, [sent]).accepted_count == 1
    feed = pb.Widget(id="feed", type="event_list", title="Deep", event_names=["deep_feed"],
                     columns=["tier", "n", "deep"], position=pb.GridPosition(x=0, y=0, w=6, h=3))
    stub = pb_grpc.DashboardsServiceStub(channel)
    board = stub.CreateDashboard(pb.CreateDashboardRequest(dashboard=pb.Dashboard(name="Deep", widgets=[feed])),
                                 metadata=bearer(world.admin_token))
    r = stub.RenderDashboard(pb.RenderDashboardRequest(dashboard_id=board.id), metadata=bearer(world.admin_token))
    values = _data(r)["feed"]["events"][0]["values"]
    assert values["tier"] == "pro" and values["n"] == str(2**60 + 1)
    assert json.loads(values["deep"]) == deep
