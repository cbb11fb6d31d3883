"""Metric definitions over gRPC: create, read, list, update (version bump), delete; errors name
the field; definitions are per tenant; deleting a metric a dashboard uses needs force."""
from __future__ import annotations

import grpc
import pytest
from google.protobuf import field_mask_pb2, struct_pb2
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from partneros.common.v1 import filter_pb2
from partneros.metrics.v1 import metrics_pb2 as pb
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from libs.store import make_engine, migrate
from services.metrics import store
from services.metrics.definitions import MetricDefinition
from services.metrics.models import MetricVersionRow
from tests import factories
from tests.conftest import bearer


def error_info(err: grpc.RpcError) -> error_details_pb2.ErrorInfo:
    info = error_details_pb2.ErrorInfo()
    for detail in rpc_status.from_call(err).details:
        if detail.Unpack(info):
            return info
    raise AssertionError("no ErrorInfo")


def fails(call, request, token: str) -> tuple[grpc.StatusCode, error_details_pb2.ErrorInfo]:  # noqa: ANN001
    with pytest.raises(grpc.RpcError) as err:
        call(request, metadata=bearer(token))
    return err.value.code(), error_info(err.value)


@pytest.fixture
def admin(engine) -> tuple[str, str]:  # noqa: ANN001
    return factories.tenant(engine, "Definitions")


def revenue(**kw) -> pb.Metric:  # noqa: ANN003
    m = pb.Metric(name="Revenue", aggregation="sum", field="amount", event_names=["purchase"], unit="EUR",
                  format="currency", description="Money in")
    g = m.filter_groups.add()
    g.filters.add(path="plan.tier", operator=filter_pb2.FILTER_OPERATOR_IN,
                  values=[struct_pb2.Value(string_value="pro"), struct_pb2.Value(number_value=3),
                          struct_pb2.Value(bool_value=True), struct_pb2.Value(null_value=0)])
    g.filters.add(path="coupon", operator=filter_pb2.FILTER_OPERATOR_NOT_EXISTS)
    for k, v in kw.items():
        setattr(m, k, v)
    return m


def test_create_then_get_returns_the_same_definition_at_version_1(stub, admin) -> None:  # noqa: ANN001
    _, token = admin
    created = stub.CreateMetric(pb.CreateMetricRequest(metric=revenue()), metadata=bearer(token))
    assert created.id.startswith("met_") and created.version == 1
    assert created.create_time.seconds > 0 and created.update_time == created.create_time
    got = stub.GetMetric(pb.GetMetricRequest(metric_id=created.id), metadata=bearer(token))
    assert got == created
    values = got.filter_groups[0].filters[0].values
    assert [v.WhichOneof("kind") for v in values] == ["string_value", "number_value", "bool_value", "null_value"]
    assert (got.unit, got.format, got.description) == ("EUR", "currency", "Money in")


@pytest.mark.parametrize("metric, field, reason", [
    (pb.Metric(name="x", aggregation="avg"), "metric.aggregation", "UNKNOWN_AGGREGATION"),
    (pb.Metric(name="x", aggregation="sum"), "metric.field", "FIELD_REQUIRED"),
    (pb.Metric(name="", aggregation="count"), "metric.name", "FIELD_REQUIRED"),
    (pb.Metric(name="x", aggregation="unique", field="plan..tier"), "metric.field", "INVALID_PATH"),
    (pb.Metric(name="x", aggregation="count", format="emoji"), "metric.format", "INVALID_FORMAT"),
])
def test_invalid_definitions_are_invalid_argument_naming_the_field(stub, admin, metric, field, reason) -> None:  # noqa: ANN001
    code, info = fails(stub.CreateMetric, pb.CreateMetricRequest(metric=metric), admin[1])
    assert code is grpc.StatusCode.INVALID_ARGUMENT
    assert (info.reason, info.metadata["field"]) == (reason, field)


def test_a_malformed_filter_names_its_position(stub, admin) -> None:  # noqa: ANN001
    m = revenue()
    m.filter_groups.add().filters.add(path="seats", operator=filter_pb2.FILTER_OPERATOR_GREATER,
                                      values=[struct_pb2.Value(string_value="five")])
    code, info = fails(stub.CreateMetric, pb.CreateMetricRequest(metric=m), admin[1])
    assert code is grpc.StatusCode.INVALID_ARGUMENT
    assert info.metadata["field"] == "metric.filter_groups[1].filters[0].values"


def test_names_are_unique_per_tenant_whatever_the_case(stub, engine, admin) -> None:  # noqa: ANN001
    stub.CreateMetric(pb.CreateMetricRequest(metric=revenue()), metadata=bearer(admin[1]))
    code, info = fails(stub.CreateMetric, pb.CreateMetricRequest(metric=revenue(name="REVENUE")), admin[1])
    assert code is grpc.StatusCode.ALREADY_EXISTS and info.metadata["field"] == "metric.name"
    _, other = factories.tenant(engine, "Other")
    stub.CreateMetric(pb.CreateMetricRequest(metric=revenue()), metadata=bearer(other))  # another tenant: fine


def test_update_with_a_mask_changes_those_fields_and_bumps_the_version(stub, engine, admin) -> None:  # noqa: ANN001
    token = admin[1]
    created = stub.CreateMetric(pb.CreateMetricRequest(metric=revenue()), metadata=bearer(token))
    change = pb.Metric(id=created.id, name="Revenue (EUR)", field="total", unit="ignored")
    updated = stub.UpdateMetric(pb.UpdateMetricRequest(metric=change, update_mask=field_mask_pb2.FieldMask(
        paths=["name", "field"])), metadata=bearer(token))
    assert updated.version == 2 and (updated.name, updated.field, updated.unit) == ("Revenue (EUR)", "total", "EUR")
    assert updated.filter_groups == created.filter_groups and updated.create_time == created.create_time
    assert updated.update_time.ToDatetime() >= created.update_time.ToDatetime()
    again = stub.UpdateMetric(pb.UpdateMetricRequest(metric=pb.Metric(id=created.id, name="Count",
                                                                      aggregation="count")), metadata=bearer(token))
    assert again.version == 3 and again.aggregation == "count" and not again.filter_groups and not again.unit
    with Session(engine) as s:
        versions = s.scalars(select(MetricVersionRow.version).where(MetricVersionRow.metric_id == created.id)).all()
    assert sorted(versions) == [1, 2, 3]


@pytest.mark.parametrize("paths, field", [(["aggregation"], "metric.field"), (["version"], "update_mask"),
                                          (["id"], "update_mask"), (["bogus"], "update_mask")])
def test_an_invalid_update_is_refused_and_changes_nothing(stub, admin, paths, field) -> None:  # noqa: ANN001
    token = admin[1]
    created = stub.CreateMetric(pb.CreateMetricRequest(metric=pb.Metric(name="Seats", aggregation="count")),
                                metadata=bearer(token))
    change = pb.Metric(id=created.id, aggregation="sum", version=99)
    code, info = fails(stub.UpdateMetric, pb.UpdateMetricRequest(
        metric=change, update_mask=field_mask_pb2.FieldMask(paths=paths)), token)
    assert code is grpc.StatusCode.INVALID_ARGUMENT and info.metadata["field"] == field
    assert stub.GetMetric(pb.GetMetricRequest(metric_id=created.id), metadata=bearer(token)) == created


def test_list_pages_through_every_metric_by_name(stub, admin) -> None:  # noqa: ANN001
    token = admin[1]
    names = [f"Metric {c}" for c in "edcbaxyz"]
    for n in names:
        stub.CreateMetric(pb.CreateMetricRequest(metric=pb.Metric(name=n, aggregation="count")), metadata=bearer(token))
    seen, token_ = [], ""
    for _ in range(10):
        page = stub.ListMetrics(pb.ListMetricsRequest(page_size=3, page_token=token_), metadata=bearer(token))
        seen += [m.name for m in page.metrics]
        token_ = page.next_page_token
        if not token_:
            break
    assert seen == sorted(names)
    code, info = fails(stub.ListMetrics, pb.ListMetricsRequest(page_token="not-a-token"), token)
    assert code is grpc.StatusCode.INVALID_ARGUMENT and info.metadata["field"] == "page_token"


def test_definitions_of_another_tenant_are_not_found(stub, engine, admin) -> None:  # noqa: ANN001
    created = stub.CreateMetric(pb.CreateMetricRequest(metric=revenue()), metadata=bearer(admin[1]))
    _, other = factories.tenant(engine, "Intruder")
    for call, request in [(stub.GetMetric, pb.GetMetricRequest(metric_id=created.id)),
                          (stub.UpdateMetric, pb.UpdateMetricRequest(metric=pb.Metric(id=created.id, name="x",
                                                                                      aggregation="count"))),
                          (stub.DeleteMetric, pb.DeleteMetricRequest(metric_id=created.id)),
                          (stub.QueryMetric, pb.QueryMetricRequest(metric_id=created.id))]:
        assert fails(call, request, other)[0] is grpc.StatusCode.NOT_FOUND
    assert not stub.ListMetrics(pb.ListMetricsRequest(), metadata=bearer(other)).metrics
    assert stub.GetMetric(pb.GetMetricRequest(metric_id=created.id), metadata=bearer(admin[1])).version == 1


def test_managers_and_partner_users_read_but_do_not_write(stub, engine, admin) -> None:  # noqa: ANN001
    tenant_id, token = admin
    partner = factories.partner(engine, tenant_id, "P")
    created = stub.CreateMetric(pb.CreateMetricRequest(metric=revenue()), metadata=bearer(token))
    for _, reader in [factories.operator(engine, tenant_id, role="manager", assigned=(partner,)),
                      factories.partner_user(engine, tenant_id, partner)]:
        assert stub.GetMetric(pb.GetMetricRequest(metric_id=created.id), metadata=bearer(reader)).id == created.id
        code, _ = fails(stub.CreateMetric, pb.CreateMetricRequest(metric=revenue(name="Mine")), reader)
        assert code is grpc.StatusCode.PERMISSION_DENIED
        code, _ = fails(stub.DeleteMetric, pb.DeleteMetricRequest(metric_id=created.id), reader)
        assert code is grpc.StatusCode.PERMISSION_DENIED


def test_delete_removes_the_definition_and_its_history(stub, engine, admin) -> None:  # noqa: ANN001
    token = admin[1]
    created = stub.CreateMetric(pb.CreateMetricRequest(metric=revenue()), metadata=bearer(token))
    stub.DeleteMetric(pb.DeleteMetricRequest(metric_id=created.id), metadata=bearer(token))
    assert fails(stub.GetMetric, pb.GetMetricRequest(metric_id=created.id), token)[0] is grpc.StatusCode.NOT_FOUND
    assert fails(stub.DeleteMetric, pb.DeleteMetricRequest(metric_id=created.id), token)[0] is grpc.StatusCode.NOT_FOUND
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(MetricVersionRow)
                        .where(MetricVersionRow.metric_id == created.id)) == 0


def test_the_store_works_the_same_on_sqlite_and_postgresql(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    tenant_id, _ = factories.tenant(engine, "Store")
    first = store.create(engine, tenant_id, MetricDefinition(name="B", aggregation="count"))
    second = store.create(engine, tenant_id, MetricDefinition(name="a", aggregation="unique", field="plan.tier"))
    assert [r.name for r in store.list_page(engine, tenant_id, 10, None)] == ["a", "B"]
    assert [r.name for r in store.list_page(engine, tenant_id, 10, ("a", second.id))] == ["B"]
    updated = store.replace(engine, tenant_id, first.id, MetricDefinition(name="B2", aggregation="count"), 1)
    assert updated.version == 2
    with pytest.raises(Exception) as err:  # a writer holding version 1 lost the race
        store.replace(engine, tenant_id, first.id, MetricDefinition(name="B3", aggregation="count"), 1)
    assert err.value.reason == "CONCURRENT_UPDATE"  # type: ignore[attr-defined]
    store.remove(engine, tenant_id, first.id)
    assert [r.name for r in store.list_page(engine, tenant_id, 10, None)] == ["a"]
    engine.dispose()


def test_a_name_whose_case_folded_key_is_longer_is_stored_on_both_stores(database_url: str) -> None:
    """casefold() makes "ß" "ss": a 200-character name has a 400-character key, which PostgreSQL
    refused (an internal error) while the name itself is valid; the same name in capitals is taken."""
    from services.dashboards import store as dashboard_store
    from partneros.dashboards.v1 import dashboards_pb2 as dpb

    engine = make_engine(database_url)
    migrate(engine)
    tenant_id, _ = factories.tenant(engine, "Folded")
    name = "ß" * 200
    assert store.create(engine, tenant_id, MetricDefinition(name=name, aggregation="count")).name == name
    with pytest.raises(Exception) as err:
        store.create(engine, tenant_id, MetricDefinition(name="SS" * 100 + "ß" * 100, aggregation="count"))
    assert err.value.reason == "METRIC_NAME_TAKEN"  # type: ignore[attr-defined]
    board = dashboard_store.create(engine, tenant_id, dpb.Dashboard(name="ﬃ" * 200))
    assert dashboard_store.get(engine, tenant_id, board.id).name == "ﬃ" * 200
    engine.dispose()


@pytest.fixture
def dashboards_host(tmp_path, clickhouse_dsn):  # noqa: ANN001, ANN201
    from tests.conftest import make_settings, running_host

    with running_host(make_settings(tmp_path, clickhouse_dsn), "metrics,dashboards") as host:
        yield host


def test_a_metric_used_by_a_dashboard_is_deleted_only_with_force(dashboards_host) -> None:  # noqa: ANN001
    from partneros.dashboards.v1 import dashboards_pb2 as dpb
    from partneros.dashboards.v1 import dashboards_pb2_grpc
    from partneros.metrics.v1 import metrics_pb2_grpc

    tenant_id, token = factories.tenant(dashboards_host.context.engine, "Used")
    with grpc.insecure_channel(dashboards_host.address) as channel:
        metrics = metrics_pb2_grpc.MetricsServiceStub(channel)
        dashboards = dashboards_pb2_grpc.DashboardsServiceStub(channel)
        used = metrics.CreateMetric(pb.CreateMetricRequest(metric=revenue()), metadata=bearer(token))
        for name in ("Sales floor", "Board"):
            dashboards.CreateDashboard(dpb.CreateDashboardRequest(dashboard=dpb.Dashboard(name=name, widgets=[
                dpb.Widget(id="w1", type="metric", metric_id=used.id, position=dpb.GridPosition(x=0, y=0, w=3, h=2)),
            ])), metadata=bearer(token))
        code, info = fails(metrics.DeleteMetric, pb.DeleteMetricRequest(metric_id=used.id), token)
        assert code is grpc.StatusCode.FAILED_PRECONDITION and info.reason == "METRIC_IN_USE"
        assert info.metadata["dashboards"] == "Board, Sales floor"
        assert metrics.GetMetric(pb.GetMetricRequest(metric_id=used.id), metadata=bearer(token)).id == used.id
        metrics.DeleteMetric(pb.DeleteMetricRequest(metric_id=used.id, force=True), metadata=bearer(token))
        assert fails(metrics.GetMetric, pb.GetMetricRequest(metric_id=used.id), token)[0] is grpc.StatusCode.NOT_FOUND
