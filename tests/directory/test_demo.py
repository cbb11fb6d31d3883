"""The directory's demo seed builds the demo program through the API on a fresh host."""
from __future__ import annotations

import grpc
import pytest
from partneros.directory.v1 import directory_pb2 as pb
from partneros.directory.v1 import directory_pb2_grpc

from libs.auth import PartnerTree
from services.directory import demo
from services.directory.bootstrap import create_tenant
from tests.conftest import bearer


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_demo_seed_builds_a_three_level_program_with_working_credentials(directory_host) -> None:  # noqa: ANN001
    admin = create_tenant(directory_host.context.engine, name="Demo Program", admin_email="admin@demo.partneros.dev")
    state: dict = {"tenant_id": admin.tenant_id}
    with grpc.insecure_channel(directory_host.address) as channel:
        demo.seed(channel, bearer(admin.token), state)
        stub = directory_pb2_grpc.DirectoryServiceStub(channel)
        md = bearer(admin.token)
        assert stub.GetTenant(pb.GetTenantRequest(), metadata=md).time_zone == "Europe/Berlin"

        partners = state["partners"]
        tree = PartnerTree({p["id"]: p["parent_id"] or None for p in partners})
        roots = [p for p in partners if not p["parent_id"]]
        assert len(roots) == 2 and len(partners) == 11
        assert max(len(tree.ancestors(p["id"])) for p in partners) == 2  # distributor -> reseller -> sub-reseller
        for root in roots:
            assert 2 <= sum(1 for p in partners if p["parent_id"] == root["id"]) <= 3
        listed = stub.ListPartners(pb.ListPartnersRequest(page_size=100), metadata=md).partners
        assert {p.id for p in listed} == set(tree.partner_ids)

        customers = state["customers"]
        assert len(customers) == 40 and {c["partner_id"] for c in customers} == set(tree.partner_ids)
        assert len({c["email"] for c in customers}) == len({c["external_id"] for c in customers}) == 40
        assert all(set(c) == {"id", "partner_id", "email", "external_id", "name"} for c in customers)

        def visible(token: str) -> tuple[set[str], set[str]]:
            p = stub.ListPartners(pb.ListPartnersRequest(page_size=100), metadata=bearer(token)).partners
            c = stub.ListCustomers(pb.ListCustomersRequest(page_size=100), metadata=bearer(token)).customers
            return {x.id for x in p}, {x.id for x in c}

        def expected(partner_id: str) -> tuple[set[str], set[str]]:
            sub = tree.subtree(partner_id)
            return set(sub), {c["id"] for c in customers if c["partner_id"] in sub}

        manager = stub.GetCallerIdentity(pb.GetCallerIdentityRequest(), metadata=bearer(state["manager_token"]))
        (distributor,) = manager.assigned_partner_ids
        assert distributor in {r["id"] for r in roots}
        assert visible(state["manager_token"]) == expected(distributor)
        user = stub.GetCallerIdentity(pb.GetCallerIdentityRequest(), metadata=bearer(state["partner_user_token"]))
        assert tree.parent(user.partner_id) in {r["id"] for r in roots}  # a reseller
        assert visible(state["partner_user_token"]) == expected(user.partner_id)

        bound = stub.GetCallerIdentity(pb.GetCallerIdentityRequest(), metadata=bearer(state["machine_key_secret"]))
        assert bound.kind == pb.PRINCIPAL_KIND_MACHINE_KEY and bound.partner_id in {r["id"] for r in roots}
        unbound = stub.GetCallerIdentity(pb.GetCallerIdentityRequest(),
                                         metadata=bearer(state["machine_key_secret_unbound"]))
        assert unbound.kind == pb.PRINCIPAL_KIND_MACHINE_KEY and unbound.partner_id == ""
