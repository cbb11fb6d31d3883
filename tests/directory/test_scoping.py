"""Reads are scoped: managers see their assigned subtrees, partner users their own, machine keys nothing.

World: Distributor A -> {Reseller A1 -> {Sub A1x, Sub A1y}, Reseller A2}, Distributor B; one customer each.
"""
from __future__ import annotations

import grpc
import pytest
from google.protobuf import field_mask_pb2
from partneros.directory.v1 import directory_pb2 as pb

from tests import factories
from tests.conftest import bearer
from tests.directory.conftest import fails


@pytest.fixture
def world(directory_host):  # noqa: ANN001, ANN201
    return factories.World.build(directory_host.context.engine)


@pytest.fixture
def stub(directory_host):  # noqa: ANN001, ANN201
    from partneros.directory.v1 import directory_pb2_grpc

    with grpc.insecure_channel(directory_host.address) as channel:
        yield directory_pb2_grpc.DirectoryServiceStub(channel)


def _partners(stub, md) -> set[str]:  # noqa: ANN001
    return {p.id for p in stub.ListPartners(pb.ListPartnersRequest(page_size=1000), metadata=md).partners}


def _customers(stub, md, **filters) -> set[str]:  # noqa: ANN001, ANN003
    return {c.id for c in stub.ListCustomers(pb.ListCustomersRequest(page_size=1000, **filters), metadata=md).customers}


def _keys(world, *names: str) -> tuple[set[str], set[str]]:  # noqa: ANN001
    return {world.partners[n] for n in names}, {world.customers[n] for n in names}


def test_admin_sees_the_whole_tenant(stub, world) -> None:  # noqa: ANN001
    md = bearer(world.admin_token)
    assert _partners(stub, md) == set(world.partners.values())
    assert _customers(stub, md) == set(world.customers.values())


def test_manager_sees_assigned_subtree_and_nothing_else(stub, world, directory_host) -> None:  # noqa: ANN001
    engine = directory_host.context.engine
    _, token = factories.operator(engine, world.tenant_id, role="manager", assigned=(world.partners["res_a1"],))
    md = bearer(token)
    partners, customers = _keys(world, "res_a1", "sub_a1x", "sub_a1y")
    assert _partners(stub, md) == partners
    assert _customers(stub, md) == customers
    assert _customers(stub, md, partner_id=world.partners["sub_a1x"]) == {world.customers["sub_a1x"]}
    for outside in ("dist_a", "res_a2", "dist_b"):  # parent, sibling, other branch
        code, reason, meta = fails(stub.GetPartner, pb.GetPartnerRequest(partner_id=world.partners[outside]),
                                   metadata=md)
        assert (code, reason, meta) == (grpc.StatusCode.NOT_FOUND, "PARTNER_NOT_FOUND",
                                        {"partner_id": world.partners[outside]})
        code, reason, _ = fails(stub.GetCustomer, pb.GetCustomerRequest(customer_id=world.customers[outside]),
                                metadata=md)
        assert (code, reason) == (grpc.StatusCode.NOT_FOUND, "CUSTOMER_NOT_FOUND")
        code, _, _ = fails(stub.ListCustomers, pb.ListCustomersRequest(partner_id=world.partners[outside]),
                           metadata=md)
        assert code is grpc.StatusCode.NOT_FOUND
    assert stub.GetCustomer(pb.GetCustomerRequest(customer_id=world.customers["sub_a1y"]), metadata=md).partner_id \
        == world.partners["sub_a1y"]
    # Managers read; they do not administer.
    for call, request in ((stub.CreatePartner, pb.CreatePartnerRequest(partner=pb.Partner(name="x"))),
                          (stub.ListOperators, pb.ListOperatorsRequest()),
                          (stub.ListMachineKeys, pb.ListMachineKeysRequest())):
        code, reason, _ = fails(call, request, metadata=md)
        assert (code, reason) == (grpc.StatusCode.PERMISSION_DENIED, "PERMISSION_MISSING")


def test_partner_users_of_the_view_are_visible_to_a_manager(stub, world, directory_host) -> None:  # noqa: ANN001
    engine = directory_host.context.engine
    inside, _ = factories.partner_user(engine, world.tenant_id, world.partners["sub_a1x"])
    outside, _ = factories.partner_user(engine, world.tenant_id, world.partners["res_a2"])
    _, token = factories.operator(engine, world.tenant_id, role="manager", assigned=(world.partners["res_a1"],))
    md = bearer(token)
    listed = {u.id for u in stub.ListPartnerUsers(pb.ListPartnerUsersRequest(), metadata=md).partner_users}
    assert listed == {inside}
    code, reason, _ = fails(stub.GetPartnerUser, pb.GetPartnerUserRequest(partner_user_id=outside), metadata=md)
    assert (code, reason) == (grpc.StatusCode.NOT_FOUND, "PARTNER_USER_NOT_FOUND")


def test_partner_user_sees_only_their_own_subtree(stub, world, directory_host) -> None:  # noqa: ANN001
    engine = directory_host.context.engine
    _, token = factories.partner_user(engine, world.tenant_id, world.partners["res_a1"])
    md = bearer(token)
    partners, customers = _keys(world, "res_a1", "sub_a1x", "sub_a1y")
    assert _partners(stub, md) == partners and _customers(stub, md) == customers
    _, leaf_token = factories.partner_user(engine, world.tenant_id, world.partners["sub_a1x"])
    leaf = bearer(leaf_token)
    assert _partners(stub, leaf) == {world.partners["sub_a1x"]}
    assert _customers(stub, leaf) == {world.customers["sub_a1x"]}
    code, _, _ = fails(stub.GetPartner, pb.GetPartnerRequest(partner_id=world.partners["res_a1"]), metadata=leaf)
    assert code is grpc.StatusCode.NOT_FOUND  # not even their own parent
    code, reason, _ = fails(stub.CreateCustomer, pb.CreateCustomerRequest(
        customer=pb.Customer(partner_id=world.partners["sub_a1x"])), metadata=leaf)
    assert (code, reason) == (grpc.StatusCode.PERMISSION_DENIED, "PERMISSION_MISSING")


def test_machine_keys_read_nothing_of_the_directory(stub, world, directory_host) -> None:  # noqa: ANN001
    engine = directory_host.context.engine
    key_id, secret = factories.machine_key(engine, world.tenant_id, partner_id=world.partners["dist_a"])
    md = bearer(secret)
    me = stub.GetCallerIdentity(pb.GetCallerIdentityRequest(), metadata=md)
    assert (me.kind, me.principal_id, me.partner_id) == (pb.PRINCIPAL_KIND_MACHINE_KEY, key_id,
                                                         world.partners["dist_a"])
    assert list(me.permissions) == ["events:write", "identity:read"]
    for call, request in ((stub.ListPartners, pb.ListPartnersRequest()),
                          (stub.GetCustomer, pb.GetCustomerRequest(customer_id=world.customers["res_a1"])),
                          (stub.ListCustomers, pb.ListCustomersRequest()),
                          (stub.GetTenant, pb.GetTenantRequest()),
                          (stub.ListMachineKeys, pb.ListMachineKeysRequest())):
        code, reason, meta = fails(call, request, metadata=md)
        assert (code, reason) == (grpc.StatusCode.PERMISSION_DENIED, "PERMISSION_MISSING")


def test_moving_a_partner_changes_what_a_manager_sees_on_the_next_call(stub, world, directory_host) -> None:  # noqa: ANN001
    engine = directory_host.context.engine
    _, token = factories.operator(engine, world.tenant_id, role="manager", assigned=(world.partners["res_a1"],))
    md = bearer(token)
    assert world.partners["sub_a1x"] in _partners(stub, md)
    stub.UpdatePartner(pb.UpdatePartnerRequest(
        partner=pb.Partner(id=world.partners["sub_a1x"], parent_id=world.partners["res_a2"]),
        update_mask=field_mask_pb2.FieldMask(paths=["parent_id"])), metadata=bearer(world.admin_token))
    assert _partners(stub, md) == {world.partners["res_a1"], world.partners["sub_a1y"]}
    assert world.customers["sub_a1x"] not in _customers(stub, md)
