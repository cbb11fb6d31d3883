"""Writes never cross tenants: naming another tenant's thing is refused exactly like naming a thing
nobody has (and changes nothing there), and uniqueness rules (emails, external ids, event ids)
hold per tenant, so a refusal never reveals that the other tenant has a value."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from google.protobuf import field_mask_pb2
from partneros.common.v1 import level_pb2
from partneros.dashboards.v1 import dashboards_pb2 as dpb
from partneros.directory.v1 import directory_pb2 as pb
from partneros.metrics.v1 import metrics_pb2 as mpb

from tests.isolation.check_ingest import Send, check_ingest
from tests.isolation.probe import Probe, normalised_error
from tests.isolation.world import Customer

UNKNOWN = {"partner": "ptn_00000000deadbeef", "metric": "met_00000000deadbeef", "dashboard": "dsh_00000000deadbeef",
           "key": "mk_00000000deadbeef", "customer": "cus_00000000deadbeef", "operator": "op_00000000deadbeef",
           "user": "pu_00000000deadbeef"}


def _widget(metric_id: str) -> dpb.Widget:
    return dpb.Widget(id="w", type="metric", title="w", metric_id=metric_id, position=dpb.GridPosition(x=0, y=0, w=4, h=2))


def _dashboard_with_default(partner_id: str) -> dpb.Dashboard:
    return dpb.Dashboard(name="probe", default_level=level_pb2.Level(kind=level_pb2.LEVEL_KIND_PARTNER, id=partner_id))


# (service, method, what the id is, request naming the id)
WRITES: list[tuple[str, str, str, Callable[[str, object], object]]] = [
    ("directory", "CreateCustomer", "partner", lambda i, w: pb.CreateCustomerRequest(customer=pb.Customer(partner_id=i))),
    ("directory", "CreatePartner", "partner", lambda i, w: pb.CreatePartnerRequest(partner=pb.Partner(name="x", parent_id=i))),
    ("directory", "CreateMachineKey", "partner", lambda i, w: pb.CreateMachineKeyRequest(
        machine_key=pb.MachineKey(scopes=["events:write"], partner_id=i))),
    ("directory", "CreatePartnerUser", "partner", lambda i, w: pb.CreatePartnerUserRequest(
        partner_user=pb.PartnerUser(partner_id=i, email="probe@example.com"))),
    ("directory", "UpdatePartner", "partner", lambda i, w: pb.UpdatePartnerRequest(
        partner=pb.Partner(id=i, name="renamed"), update_mask=field_mask_pb2.FieldMask(paths=["name"]))),
    ("directory", "DeletePartner", "partner", lambda i, w: pb.DeletePartnerRequest(partner_id=i)),
    ("directory", "DeleteCustomer", "customer", lambda i, w: pb.DeleteCustomerRequest(customer_id=i)),
    ("directory", "UpdateOperator", "partner", lambda i, w: pb.UpdateOperatorRequest(
        operator=pb.Operator(id=w.actor("t1:mgr.s3").id, assigned_partner_ids=[i]),
        update_mask=field_mask_pb2.FieldMask(paths=["assigned_partner_ids"]))),
    ("directory", "CreatePersonalToken", "user", lambda i, w: pb.CreatePersonalTokenRequest(
        personal_token=pb.PersonalToken(subject_id=i))),
    ("directory", "CreatePersonalToken", "operator", lambda i, w: pb.CreatePersonalTokenRequest(
        personal_token=pb.PersonalToken(subject_id=i))),
    ("directory", "GetOperator", "operator", lambda i, w: pb.GetOperatorRequest(operator_id=i)),
    ("directory", "GetPartnerUser", "user", lambda i, w: pb.GetPartnerUserRequest(partner_user_id=i)),
    ("directory", "GetMachineKey", "key", lambda i, w: pb.GetMachineKeyRequest(machine_key_id=i)),
    ("directory", "RevokeMachineKey", "key", lambda i, w: pb.RevokeMachineKeyRequest(machine_key_id=i)),
    ("metrics", "UpdateMetric", "metric", lambda i, w: mpb.UpdateMetricRequest(
        metric=mpb.Metric(id=i, name="renamed"), update_mask=field_mask_pb2.FieldMask(paths=["name"]))),
    ("metrics", "DeleteMetric", "metric", lambda i, w: mpb.DeleteMetricRequest(metric_id=i, force=True)),
    ("dashboards", "CreateDashboard", "metric", lambda i, w: dpb.CreateDashboardRequest(
        dashboard=dpb.Dashboard(name="probe", widgets=[_widget(i)]))),
    ("dashboards", "CreateDashboard", "partner", lambda i, w: dpb.CreateDashboardRequest(dashboard=_dashboard_with_default(i))),
    ("dashboards", "UpdateDashboard", "dashboard", lambda i, w: dpb.UpdateDashboardRequest(
        dashboard=dpb.Dashboard(id=i, name="renamed", version=1), update_mask=field_mask_pb2.FieldMask(paths=["name"]))),
    ("dashboards", "DuplicateDashboard", "dashboard", lambda i, w: dpb.DuplicateDashboardRequest(dashboard_id=i)),
    ("dashboards", "DeleteDashboard", "dashboard", lambda i, w: dpb.DeleteDashboardRequest(dashboard_id=i)),
]


def _foreign_id(world, kind: str) -> str:  # noqa: ANN001
    t2 = world.tenants["t2"]
    return {"partner": t2.partners["d1"], "metric": t2.metrics["revenue"], "dashboard": t2.dashboards["overview"].id,
            "key": t2.actors["key.r1"].id, "customer": t2.customers["d1-a"].id,
            "operator": t2.actors["mgr.s3"].id, "user": t2.actors["user.r1"].id}[kind]


@pytest.mark.parametrize("service,method,kind,make", WRITES, ids=[f"{w[1]}:{w[2]}" for w in WRITES])
def test_naming_another_tenants_thing_is_refused_like_naming_nothing(world, probes, service, method, kind, make) -> None:  # noqa: ANN001
    admin = world.actor("t1:admin")
    foreign = _foreign_id(world, kind)
    for probe in probes:
        request = make(foreign, world)
        outcome = probe.call(admin, service, method, request)
        unknown = probe.call(admin, service, method, make(UNKNOWN[kind], world))
        probe.expect(not outcome.ok and normalised_error(outcome, foreign) == normalised_error(unknown, UNKNOWN[kind]),
                     admin, request, outcome, f"unlike naming nothing: {unknown.describe()}")


def test_another_tenants_things_are_untouched(world, probes) -> None:  # noqa: ANN001
    """After every refused write above: t2's key is live, its metric and dashboard unchanged."""
    t2, admin = world.tenants["t2"], world.actor("t2:admin")
    probe: Probe = probes[0]
    key = probe.call(admin, "directory", "GetMachineKey", pb.GetMachineKeyRequest(machine_key_id=t2.actors["key.r1"].id))
    assert key.ok and not key.response.HasField("revoke_time")
    metric = probe.call(admin, "metrics", "GetMetric", mpb.GetMetricRequest(metric_id=t2.metrics["revenue"]))
    assert metric.ok and metric.response.version == 1 and metric.response.name == "M revenue"
    board = probe.call(admin, "dashboards", "GetDashboard", dpb.GetDashboardRequest(dashboard_id=t2.dashboards["overview"].id))
    assert board.ok and board.response.version == 1 and board.response.name == "Overview"
    partner = probe.call(admin, "directory", "GetPartner", pb.GetPartnerRequest(partner_id=t2.partners["d1"]))
    assert partner.ok and partner.response.name == "North"


def test_emails_and_external_ids_are_unique_per_tenant_only(world, probes) -> None:  # noqa: ANN001
    """t1 may hold the email and external id only t2 has: a refusal would reveal t2's customer."""
    t1, admin = world.tenants["t1"], world.actor("t1:admin")
    only2 = world.tenants["t2"].customers["only2"]
    request = pb.CreateCustomerRequest(customer=pb.Customer(partner_id=t1.partners["d3"], email=only2.email.upper(),
                                                            external_id=only2.external_id, name=only2.name))
    outcome = probes[0].call(admin, "directory", "CreateCustomer", request)
    probes[0].expect(outcome.ok, admin, request, outcome, "another tenant's email or external id blocked a customer")
    created = outcome.response
    t1.customers["only2"] = Customer(created.id, "t1", "only2", t1.partners["d3"], only2.email, only2.external_id)
    again = probes[-1].call(admin, "directory", "CreateCustomer", request)
    assert again.code == "ALREADY_EXISTS"  # inside the tenant the rule holds
    user = pb.CreatePartnerUserRequest(partner_user=pb.PartnerUser(partner_id=world.tenants["t2"].partners["d1"],
                                                                   email="same.person@example.com"))
    assert probes[0].call(world.actor("t2:admin"), "directory", "CreatePartnerUser", user).ok
    user.partner_user.partner_id = t1.partners["d1"]
    created_user = probes[0].call(admin, "directory", "CreatePartnerUser", user)
    probes[0].expect(created_user.ok, admin, user, created_user, "another tenant's partner user email blocked one here")
    t1.partner_users[created_user.response.id] = t1.partners["d1"]
    # An event for it, by the email both tenants now have, lands in the sender's tenant only.
    check_ingest(probes[0], world.actor("t1:key.all"), (Send(("t1", "only2"), "email", 95, 10),))
    check_ingest(probes[-1], world.actor("t2:key.all"), (Send(("t2", "only2"), "email", 95, 10),))


def test_event_ids_never_deduplicate_across_tenants_or_customers(world, probes) -> None:  # noqa: ANN001
    """The same client event id from both tenants, and for two customers of one tenant: all stored."""
    for probe in probes:
        for tenant in ("t1", "t2"):
            check_ingest(probe, world.actor(f"{tenant}:key.all"), (
                Send((tenant, "d1-a"), "external_id", 3, 11), Send((tenant, "d2-b"), "email", 3, 12),
                Send((tenant, "d1-a"), "customer_id", 3, 13)))  # the last one is the first one again: a duplicate
