"""The dashboards gRPC API: CRUD, versions, duplicate, paging and who may see and edit what."""
from __future__ import annotations

import grpc
import pytest
from google.protobuf import field_mask_pb2
from partneros.common.v1 import level_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb
from partneros.dashboards.v1 import dashboards_pb2_grpc

from libs.errors import from_rpc_error
from tests import factories
from tests.conftest import bearer, make_settings
from tests.dashboards.conftest import event_list


def _fails(call, *args, **kwargs) -> grpc.RpcError:  # noqa: ANN001
    with pytest.raises(grpc.RpcError) as err:
        call(*args, **kwargs)
    return err.value


def _create(stub, token: str, name: str = "Board", *, shared: bool = False, widgets=None) -> pb.Dashboard:  # noqa: ANN001
    d = pb.Dashboard(name=name, shared_with_partners=shared,
                     widgets=widgets if widgets is not None else [event_list("recent", w=12)])
    return stub.CreateDashboard(pb.CreateDashboardRequest(dashboard=d), metadata=bearer(token))


def test_crud_round_trip_on_sqlite_and_postgresql(database_url, clickhouse_dsn, tmp_path) -> None:  # noqa: ANN001
    from libs.host import create_server
    from libs.store import make_engine, migrate

    settings = make_settings(tmp_path, clickhouse_dsn, database_url)
    migrate(make_engine(settings.database_url))
    host = create_server("127.0.0.1:0", services="directory,metrics,dashboards", settings=settings)
    try:
        _, token = factories.tenant(host.context.engine)
        with grpc.insecure_channel(host.address) as ch:
            stub = dashboards_pb2_grpc.DashboardsServiceStub(ch)
            d = _create(stub, token, "Partner health", widgets=[event_list("a", w=6), event_list("b", x=6, w=6)])
            assert stub.GetDashboard(pb.GetDashboardRequest(dashboard_id=d.id), metadata=bearer(token)) == d
            d.description = "weekly review"
            v2 = stub.UpdateDashboard(pb.UpdateDashboardRequest(dashboard=d), metadata=bearer(token))
            assert v2.version == 2 and v2.description == "weekly review"
            listed = stub.ListDashboards(pb.ListDashboardsRequest(query="HEALTH"), metadata=bearer(token))
            assert [x.id for x in listed.dashboards] == [d.id] and listed.next_page_token == ""
            stub.DeleteDashboard(pb.DeleteDashboardRequest(dashboard_id=d.id), metadata=bearer(token))
            err = _fails(stub.GetDashboard, pb.GetDashboardRequest(dashboard_id=d.id), metadata=bearer(token))
            assert err.code() is grpc.StatusCode.NOT_FOUND
    finally:
        host.stop(grace=1)


def test_update_needs_the_version_it_was_based_on(stub, tenant) -> None:  # noqa: ANN001
    d = _create(stub, tenant.token)
    first, second = pb.Dashboard(), pb.Dashboard()
    first.CopyFrom(d)
    second.CopyFrom(d)
    first.name = "Edited by Ana"
    stub.UpdateDashboard(pb.UpdateDashboardRequest(dashboard=first), metadata=bearer(tenant.token))
    second.name = "Edited by Bo"
    err = _fails(stub.UpdateDashboard, pb.UpdateDashboardRequest(dashboard=second), metadata=bearer(tenant.token))
    assert err.code() is grpc.StatusCode.ABORTED
    assert from_rpc_error(err).metadata["current_version"] == "2"
    second.version = 0
    err = _fails(stub.UpdateDashboard, pb.UpdateDashboardRequest(dashboard=second), metadata=bearer(tenant.token))
    assert err.code() is grpc.StatusCode.INVALID_ARGUMENT and from_rpc_error(err).reason == "VERSION_REQUIRED"
    got = stub.GetDashboard(pb.GetDashboardRequest(dashboard_id=d.id), metadata=bearer(tenant.token))
    assert got.name == "Edited by Ana" and got.version == 2


def test_update_mask_changes_only_the_named_fields(stub, tenant) -> None:  # noqa: ANN001
    d = _create(stub, tenant.token, "Keep me")
    edit = pb.Dashboard(id=d.id, version=d.version, name="ignored", shared_with_partners=True)
    mask = field_mask_pb2.FieldMask(paths=["shared_with_partners"])
    v2 = stub.UpdateDashboard(pb.UpdateDashboardRequest(dashboard=edit, update_mask=mask), metadata=bearer(tenant.token))
    assert v2.shared_with_partners and v2.name == "Keep me" and list(v2.widgets) == list(d.widgets)
    bad = field_mask_pb2.FieldMask(paths=["version"])
    err = _fails(stub.UpdateDashboard, pb.UpdateDashboardRequest(dashboard=v2, update_mask=bad),
                 metadata=bearer(tenant.token))
    assert err.code() is grpc.StatusCode.INVALID_ARGUMENT and from_rpc_error(err).reason == "INVALID_UPDATE_MASK"


def test_layout_errors_reach_the_caller_naming_the_widget(stub, tenant) -> None:  # noqa: ANN001
    widgets = [event_list("kpis", w=8), event_list("feed", title="Feed", x=6, w=6)]
    err = _fails(_create, stub, tenant.token, widgets=widgets)
    info = from_rpc_error(err)
    assert err.code() is grpc.StatusCode.INVALID_ARGUMENT and info.reason == "WIDGET_OVERLAP"
    assert info.metadata["widget_id"] == "feed" and "'feed'" in err.details()
    err = _fails(_create, stub, tenant.token, widgets=[event_list("wide", x=2, w=11)])
    assert from_rpc_error(err).reason == "WIDGET_OUT_OF_GRID" and "'wide'" in err.details()


def test_default_level_must_exist_in_the_tenant(stub, host, tenant) -> None:  # noqa: ANN001
    other = factories.World.build(host.context.engine)
    d = pb.Dashboard(name="Foreign", default_level=level_pb2.Level(kind=level_pb2.LEVEL_KIND_PARTNER,
                                                                   id=other.partners["dist_a"]))
    err = _fails(stub.CreateDashboard, pb.CreateDashboardRequest(dashboard=d), metadata=bearer(tenant.token))
    assert err.code() is grpc.StatusCode.INVALID_ARGUMENT and from_rpc_error(err).reason == "PARTNER_NOT_FOUND"


def test_a_managers_default_level_outside_their_partners_is_answered_like_an_unknown_one(stub, host, world) -> None:  # noqa: ANN001
    engine = host.context.engine
    _, manager = factories.operator(engine, world.tenant_id, role="manager", assigned=(world.partners["res_a1"],))

    def refusal(kind: int, level_id: str) -> tuple[grpc.StatusCode, str, str]:
        d = pb.Dashboard(name="Probe", default_level=level_pb2.Level(kind=kind, id=level_id))
        err = _fails(stub.CreateDashboard, pb.CreateDashboardRequest(dashboard=d), metadata=bearer(manager))
        e = from_rpc_error(err)
        return err.code(), e.reason, e.message.replace(level_id, "<id>")

    partner = level_pb2.LEVEL_KIND_PARTNER
    customer = level_pb2.LEVEL_KIND_CUSTOMER
    for sibling in ("res_a2", "dist_a", "dist_b"):  # real partners the manager does not manage
        assert refusal(partner, world.partners[sibling]) == refusal(partner, "ptn_doesnotexist")
        assert refusal(customer, world.customers[sibling]) == refusal(customer, "cus_doesnotexist")
    own = pb.Dashboard(name="Mine", default_level=level_pb2.Level(kind=partner, id=world.partners["sub_a1x"]))
    assert stub.CreateDashboard(pb.CreateDashboardRequest(dashboard=own), metadata=bearer(manager)).id


def test_a_hidden_default_sent_back_is_refused_like_any_other_hidden_id(stub, host, world) -> None:  # noqa: ANN001
    """A manager who was not shown a dashboard's default level cannot learn it by sending ids
    back: the hidden one is refused exactly like every other id outside their view."""
    engine = host.context.engine
    _, manager = factories.operator(engine, world.tenant_id, role="manager", assigned=(world.partners["res_a1"],))
    partner = level_pb2.LEVEL_KIND_PARTNER
    hidden = level_pb2.Level(kind=partner, id=world.partners["dist_b"])
    board = stub.CreateDashboard(pb.CreateDashboardRequest(dashboard=pb.Dashboard(name="Admins' default",
                                                                                  default_level=hidden)),
                                 metadata=bearer(world.admin_token))
    seen = stub.GetDashboard(pb.GetDashboardRequest(dashboard_id=board.id), metadata=bearer(manager))
    assert not seen.HasField("default_level")

    def outcome(level_id: str, *paths: str) -> tuple:
        version = stub.GetDashboard(pb.GetDashboardRequest(dashboard_id=board.id), metadata=bearer(manager)).version
        edit = pb.Dashboard(id=board.id, version=version, name="Renamed",
                            default_level=level_pb2.Level(kind=partner, id=level_id))
        request = pb.UpdateDashboardRequest(dashboard=edit, update_mask=field_mask_pb2.FieldMask(paths=list(paths)))
        try:
            stub.UpdateDashboard(request, metadata=bearer(manager))
        except grpc.RpcError as err:
            e = from_rpc_error(err)
            return err.code(), e.reason, e.message.replace(level_id, "<id>")
        return ("ok",)

    for paths in ((), ("default_level",), ("name", "default_level")):
        assert outcome(hidden.id, *paths) == outcome(world.partners["dist_a"], *paths) != ("ok",)
    # a mask without the default level leaves it out of the edit, whatever id is sent
    assert outcome(hidden.id, "name") == outcome(world.partners["dist_a"], "name") == ("ok",)
    stored = stub.GetDashboard(pb.GetDashboardRequest(dashboard_id=board.id), metadata=bearer(world.admin_token))
    assert stored.default_level == hidden


def test_duplicate_copies_layout_as_an_unshared_draft(stub, tenant) -> None:  # noqa: ANN001
    d = _create(stub, tenant.token, "Quarterly", shared=True,
                widgets=[event_list("a", w=6, columns=["plan"]), event_list("b", x=6, w=6)])
    copy = stub.DuplicateDashboard(pb.DuplicateDashboardRequest(dashboard_id=d.id), metadata=bearer(tenant.token))
    assert copy.id != d.id and copy.name == "Quarterly (copy)" and copy.version == 1
    assert list(copy.widgets) == list(d.widgets) and not copy.shared_with_partners
    named = stub.DuplicateDashboard(pb.DuplicateDashboardRequest(dashboard_id=d.id, name="Q2"),
                                    metadata=bearer(tenant.token))
    assert named.name == "Q2"
    assert stub.GetDashboard(pb.GetDashboardRequest(dashboard_id=d.id), metadata=bearer(tenant.token)) == d


def test_list_pages_with_opaque_tokens_bound_to_the_query(stub, tenant) -> None:  # noqa: ANN001
    for i in range(7):
        _create(stub, tenant.token, f"Board {i:02d}")
    _create(stub, tenant.token, "Unrelated")
    names, token = [], ""
    for _ in range(5):
        page = stub.ListDashboards(pb.ListDashboardsRequest(page_size=3, page_token=token, query="board"),
                                   metadata=bearer(tenant.token))
        names += [d.name for d in page.dashboards]
        token = page.next_page_token
        if not token:
            break
    assert names == [f"Board {i:02d}" for i in range(7)]
    first = stub.ListDashboards(pb.ListDashboardsRequest(page_size=3, query="board"), metadata=bearer(tenant.token))
    err = _fails(stub.ListDashboards, pb.ListDashboardsRequest(page_token=first.next_page_token, query="un"),
                 metadata=bearer(tenant.token))
    assert err.code() is grpc.StatusCode.INVALID_ARGUMENT
    err = _fails(stub.ListDashboards, pb.ListDashboardsRequest(page_token="garbage!"), metadata=bearer(tenant.token))
    assert err.code() is grpc.StatusCode.INVALID_ARGUMENT


def test_managers_edit_partner_users_only_view_shared_dashboards(stub, host, world) -> None:  # noqa: ANN001
    engine = host.context.engine
    _, manager = factories.operator(engine, world.tenant_id, role="manager", assigned=(world.partners["dist_a"],))
    _, partner = factories.partner_user(engine, world.tenant_id, world.partners["res_a1"])
    mine = _create(stub, manager, "Manager's board")
    mine.name = "Renamed by manager"
    assert stub.UpdateDashboard(pb.UpdateDashboardRequest(dashboard=mine), metadata=bearer(manager)).version == 2
    shared = _create(stub, world.admin_token, "Shared", shared=True)
    hidden = _create(stub, world.admin_token, "Internal")

    listed = stub.ListDashboards(pb.ListDashboardsRequest(), metadata=bearer(partner))
    assert [d.id for d in listed.dashboards] == [shared.id]
    assert stub.GetDashboard(pb.GetDashboardRequest(dashboard_id=shared.id), metadata=bearer(partner)).id == shared.id
    for call, request in [(stub.GetDashboard, pb.GetDashboardRequest(dashboard_id=hidden.id)),
                          (stub.RenderDashboard, pb.RenderDashboardRequest(dashboard_id=hidden.id))]:
        assert _fails(call, request, metadata=bearer(partner)).code() is grpc.StatusCode.NOT_FOUND
    for call, request in [
        (stub.CreateDashboard, pb.CreateDashboardRequest(dashboard=pb.Dashboard(name="mine"))),
        (stub.UpdateDashboard, pb.UpdateDashboardRequest(dashboard=shared)),
        (stub.DeleteDashboard, pb.DeleteDashboardRequest(dashboard_id=shared.id)),
        (stub.DuplicateDashboard, pb.DuplicateDashboardRequest(dashboard_id=shared.id)),
    ]:
        assert _fails(call, request, metadata=bearer(partner)).code() is grpc.StatusCode.PERMISSION_DENIED
    stub.DeleteDashboard(pb.DeleteDashboardRequest(dashboard_id=mine.id), metadata=bearer(manager))


def test_tenants_never_see_each_others_dashboards(stub, host, tenant) -> None:  # noqa: ANN001
    d = _create(stub, tenant.token, "Ours")
    _, other = factories.tenant(host.context.engine)
    for call, request in [(stub.GetDashboard, pb.GetDashboardRequest(dashboard_id=d.id)),
                          (stub.DeleteDashboard, pb.DeleteDashboardRequest(dashboard_id=d.id)),
                          (stub.DuplicateDashboard, pb.DuplicateDashboardRequest(dashboard_id=d.id)),
                          (stub.RenderDashboard, pb.RenderDashboardRequest(dashboard_id=d.id)),
                          (stub.UpdateDashboard, pb.UpdateDashboardRequest(dashboard=d))]:
        assert _fails(call, request, metadata=bearer(other)).code() is grpc.StatusCode.NOT_FOUND
    assert stub.ListDashboards(pb.ListDashboardsRequest(), metadata=bearer(other)).dashboards == []
