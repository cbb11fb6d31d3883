"""Create, read, update (masks honoured), list and delete every directory resource, on SQLite and PostgreSQL."""
from __future__ import annotations

import grpc
from google.protobuf import field_mask_pb2
from partneros.directory.v1 import directory_pb2 as pb

from tests.conftest import bearer
from tests.directory.conftest import Api, fails


def _mask(*paths: str) -> field_mask_pb2.FieldMask:
    return field_mask_pb2.FieldMask(paths=list(paths))


def test_tenant_settings_follow_the_update_mask(api: Api) -> None:
    s, md = api.stub, api.admin
    assert s.GetTenant(pb.GetTenantRequest(), metadata=md).name == "Acme Partners"
    t = s.UpdateTenant(pb.UpdateTenantRequest(tenant=pb.Tenant(name="ignored", time_zone="Europe/Berlin"),
                                              update_mask=_mask("time_zone")), metadata=md)
    assert (t.id, t.name, t.time_zone, t.week_start) == (api.tenant_id, "Acme Partners", "Europe/Berlin", 1)
    t = s.UpdateTenant(pb.UpdateTenantRequest(tenant=pb.Tenant(name="Acme", time_zone="UTC", week_start=7)),
                       metadata=md)
    assert (t.name, t.time_zone, t.week_start) == ("Acme", "UTC", 7)
    assert s.GetTenant(pb.GetTenantRequest(), metadata=md) == t


def test_partner_tree_create_rename_move_delete(api: Api) -> None:
    s, md = api.stub, api.admin
    dist = s.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name=" Northwind Distribution ")), metadata=md)
    assert dist.id.startswith("ptn_") and dist.name == "Northwind Distribution" and not dist.parent_id
    assert dist.create_time.seconds > 0
    res = s.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="Contoso", parent_id=dist.id)), metadata=md)
    sub = s.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="Fabrikam", parent_id=res.id)), metadata=md)
    assert s.GetPartner(pb.GetPartnerRequest(partner_id=sub.id), metadata=md) == sub

    # A rename with a mask leaves the parent alone, although the body carries none.
    renamed = s.UpdatePartner(pb.UpdatePartnerRequest(partner=pb.Partner(id=res.id, name="Contoso Ltd"),
                                                      update_mask=_mask("name")), metadata=md)
    assert (renamed.name, renamed.parent_id) == ("Contoso Ltd", dist.id)
    # An empty mask writes every writable field: here it moves the reseller to the top level.
    moved = s.UpdatePartner(pb.UpdatePartnerRequest(partner=pb.Partner(id=res.id, name="Contoso")), metadata=md)
    assert (moved.name, moved.parent_id) == ("Contoso", "")
    moved = s.UpdatePartner(pb.UpdatePartnerRequest(partner=pb.Partner(id=sub.id, parent_id=dist.id),
                                                    update_mask=_mask("parent_id")), metadata=md)
    assert (moved.name, moved.parent_id) == ("Fabrikam", dist.id)

    listed = s.ListPartners(pb.ListPartnersRequest(), metadata=md)
    assert [p.name for p in listed.partners] == ["Contoso", "Fabrikam", "Northwind Distribution"]
    assert not listed.next_page_token
    children = s.ListPartners(pb.ListPartnersRequest(parent_id=dist.id), metadata=md)
    assert [p.id for p in children.partners] == [sub.id]

    s.DeletePartner(pb.DeletePartnerRequest(partner_id=sub.id), metadata=md)
    code, reason, _ = fails(s.GetPartner, pb.GetPartnerRequest(partner_id=sub.id), metadata=md)
    assert (code, reason) == (grpc.StatusCode.NOT_FOUND, "PARTNER_NOT_FOUND")


def test_customer_crud_normalises_email_and_honours_mask(api: Api) -> None:
    s, md = api.stub, api.admin
    a = s.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="A")), metadata=md)
    b = s.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="B")), metadata=md)
    c = s.CreateCustomer(pb.CreateCustomerRequest(customer=pb.Customer(
        partner_id=a.id, email="  Jane.Doe@Example.COM ", external_id="crm-1001", name="Jane Doe")), metadata=md)
    assert (c.email, c.external_id, c.name, c.partner_id) == ("jane.doe@example.com", "crm-1001", "Jane Doe", a.id)
    assert s.GetCustomer(pb.GetCustomerRequest(customer_id=c.id), metadata=md) == c

    c2 = s.UpdateCustomer(pb.UpdateCustomerRequest(customer=pb.Customer(id=c.id, name="Jane D.", partner_id=b.id),
                                                   update_mask=_mask("name")), metadata=md)
    assert (c2.name, c2.email, c2.external_id, c2.partner_id) == ("Jane D.", c.email, "crm-1001", a.id)
    c3 = s.UpdateCustomer(pb.UpdateCustomerRequest(customer=pb.Customer(
        id=c.id, partner_id=b.id, email="JANE@example.org", name="Jane")), metadata=md)
    # Empty mask: every writable field, so the external id not in the body is cleared.
    assert (c3.partner_id, c3.email, c3.external_id, c3.name) == (b.id, "jane@example.org", "", "Jane")

    other = s.CreateCustomer(pb.CreateCustomerRequest(customer=pb.Customer(partner_id=a.id, name="No Email")),
                             metadata=md)
    assert other.email == "" and other.external_id == ""
    anon = s.CreateCustomer(pb.CreateCustomerRequest(customer=pb.Customer(partner_id=a.id)), metadata=md)
    assert anon.id != other.id  # several customers without email or external id coexist

    under_a = s.ListCustomers(pb.ListCustomersRequest(partner_id=a.id), metadata=md)
    assert {x.id for x in under_a.customers} == {other.id, anon.id}
    found = s.ListCustomers(pb.ListCustomersRequest(query="JANE@"), metadata=md)
    assert [x.id for x in found.customers] == [c.id]

    s.DeleteCustomer(pb.DeleteCustomerRequest(customer_id=c.id), metadata=md)
    code, reason, meta = fails(s.GetCustomer, pb.GetCustomerRequest(customer_id=c.id), metadata=md)
    assert (code, reason, meta) == (grpc.StatusCode.NOT_FOUND, "CUSTOMER_NOT_FOUND", {"customer_id": c.id})


def test_operator_crud_with_assignments(api: Api) -> None:
    s, md = api.stub, api.admin
    d1 = s.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="D1")), metadata=md)
    d2 = s.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="D2")), metadata=md)
    op = s.CreateOperator(pb.CreateOperatorRequest(operator=pb.Operator(
        email="Chris@Acme.example", name="Chris", role=pb.OPERATOR_ROLE_MANAGER, assigned_partner_ids=[d1.id])),
        metadata=md)
    assert (op.email, op.role, list(op.assigned_partner_ids)) == ("chris@acme.example", pb.OPERATOR_ROLE_MANAGER,
                                                                  [d1.id])
    assert s.GetOperator(pb.GetOperatorRequest(operator_id=op.id), metadata=md) == op
    emails = [o.email for o in s.ListOperators(pb.ListOperatorsRequest(), metadata=md).operators]
    assert emails == ["admin@acme.example", "chris@acme.example"]

    op2 = s.UpdateOperator(pb.UpdateOperatorRequest(operator=pb.Operator(id=op.id, assigned_partner_ids=[d2.id, d1.id]),
                                                    update_mask=_mask("assigned_partner_ids")), metadata=md)
    assert (op2.name, sorted(op2.assigned_partner_ids)) == ("Chris", sorted([d1.id, d2.id]))
    token = s.CreatePersonalToken(pb.CreatePersonalTokenRequest(
        personal_token=pb.PersonalToken(subject_id=op.id, display_name="laptop")), metadata=md).secret
    me = s.GetCallerIdentity(pb.GetCallerIdentityRequest(), metadata=bearer(token))
    assert sorted(me.assigned_partner_ids) == sorted([d1.id, d2.id])

    # Promotion to admin drops assignments: an admin sees everything.
    op3 = s.UpdateOperator(pb.UpdateOperatorRequest(operator=pb.Operator(id=op.id, role=pb.OPERATOR_ROLE_ADMIN),
                                                    update_mask=_mask("role")), metadata=md)
    assert (op3.role, list(op3.assigned_partner_ids)) == (pb.OPERATOR_ROLE_ADMIN, [])

    s.DeleteOperator(pb.DeleteOperatorRequest(operator_id=op.id), metadata=md)
    code, reason, _ = fails(s.GetOperator, pb.GetOperatorRequest(operator_id=op.id), metadata=md)
    assert (code, reason) == (grpc.StatusCode.NOT_FOUND, "OPERATOR_NOT_FOUND")
    code, _, _ = fails(s.GetCallerIdentity, pb.GetCallerIdentityRequest(), metadata=bearer(token))
    assert code is grpc.StatusCode.UNAUTHENTICATED


def test_partner_user_crud(api: Api) -> None:
    s, md = api.stub, api.admin
    a = s.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="A")), metadata=md)
    b = s.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="B")), metadata=md)
    u = s.CreatePartnerUser(pb.CreatePartnerUserRequest(partner_user=pb.PartnerUser(
        partner_id=a.id, email="Sam@Reseller.example", name="Sam")), metadata=md)
    assert (u.partner_id, u.email, u.name) == (a.id, "sam@reseller.example", "Sam")
    assert s.GetPartnerUser(pb.GetPartnerUserRequest(partner_user_id=u.id), metadata=md) == u
    assert [x.id for x in s.ListPartnerUsers(pb.ListPartnerUsersRequest(partner_id=a.id), metadata=md).partner_users] \
        == [u.id]
    assert not s.ListPartnerUsers(pb.ListPartnerUsersRequest(partner_id=b.id), metadata=md).partner_users
    moved = s.UpdatePartnerUser(pb.UpdatePartnerUserRequest(partner_user=pb.PartnerUser(id=u.id, partner_id=b.id),
                                                            update_mask=_mask("partner_id")), metadata=md)
    assert (moved.partner_id, moved.email, moved.name) == (b.id, u.email, "Sam")
    s.DeletePartnerUser(pb.DeletePartnerUserRequest(partner_user_id=u.id), metadata=md)
    code, reason, _ = fails(s.GetPartnerUser, pb.GetPartnerUserRequest(partner_user_id=u.id), metadata=md)
    assert (code, reason) == (grpc.StatusCode.NOT_FOUND, "PARTNER_USER_NOT_FOUND")


def test_machine_key_crud_shows_the_secret_once(api: Api) -> None:
    s, md = api.stub, api.admin
    a = s.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="A")), metadata=md)
    created = s.CreateMachineKey(pb.CreateMachineKeyRequest(machine_key=pb.MachineKey(
        display_name="CRM sync", scopes=["events:write"], partner_id=a.id)), metadata=md)
    key = created.machine_key
    assert created.secret.startswith("pomk_") and key.prefix in created.secret
    assert (key.display_name, list(key.scopes), key.partner_id) == ("CRM sync", ["events:write"], a.id)
    assert not key.HasField("revoke_time") and not key.HasField("last_use_time")
    fetched = s.GetMachineKey(pb.GetMachineKeyRequest(machine_key_id=key.id), metadata=md)
    assert fetched == key and created.secret not in str(fetched)
    unbound = s.CreateMachineKey(pb.CreateMachineKeyRequest(machine_key=pb.MachineKey(
        display_name="Billing", scopes=["events:write"])), metadata=md).machine_key
    assert unbound.partner_id == ""
    listed = s.ListMachineKeys(pb.ListMachineKeysRequest(), metadata=md).machine_keys
    assert [k.id for k in listed] == [unbound.id, key.id]
    bound = s.ListMachineKeys(pb.ListMachineKeysRequest(partner_id=a.id), metadata=md).machine_keys
    assert [k.id for k in bound] == [key.id]
    revoked = s.RevokeMachineKey(pb.RevokeMachineKeyRequest(machine_key_id=key.id), metadata=md)
    assert revoked.HasField("revoke_time")
    again = s.RevokeMachineKey(pb.RevokeMachineKeyRequest(machine_key_id=key.id), metadata=md)
    assert again.revoke_time == revoked.revoke_time


def test_personal_token_crud(api: Api) -> None:
    s, md = api.stub, api.admin
    a = s.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="A")), metadata=md)
    u = s.CreatePartnerUser(pb.CreatePartnerUserRequest(partner_user=pb.PartnerUser(
        partner_id=a.id, email="pat@a.example")), metadata=md)
    created = s.CreatePersonalToken(pb.CreatePersonalTokenRequest(
        personal_token=pb.PersonalToken(subject_id=u.id, display_name="phone")), metadata=md)
    tok = created.personal_token
    assert created.secret.startswith("popt_") and tok.prefix in created.secret
    assert (tok.subject_id, tok.subject_kind, tok.display_name) == (u.id, pb.PRINCIPAL_KIND_PARTNER_USER, "phone")
    mine = s.ListPersonalTokens(pb.ListPersonalTokensRequest(subject_id=u.id), metadata=md).personal_tokens
    assert list(mine) == [tok]
    everyone = s.ListPersonalTokens(pb.ListPersonalTokensRequest(), metadata=md).personal_tokens
    assert len(everyone) == 2  # the bootstrap admin's and the new one
    revoked = s.RevokePersonalToken(pb.RevokePersonalTokenRequest(personal_token_id=tok.id), metadata=md)
    assert revoked.HasField("revoke_time") and revoked.id == tok.id
