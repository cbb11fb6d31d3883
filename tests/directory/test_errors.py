"""Bad input is refused with the right code and an ErrorInfo naming the field, on SQLite and PostgreSQL."""
from __future__ import annotations

import grpc
import pytest
from google.protobuf import field_mask_pb2
from partneros.directory.v1 import directory_pb2 as pb

from services.directory.bootstrap import create_tenant
from tests.conftest import bearer
from tests.directory.conftest import Api, fails

INVALID, EXISTS = grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.ALREADY_EXISTS


def _partner(api: Api, name: str, parent_id: str = "") -> pb.Partner:
    return api.stub.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name=name, parent_id=parent_id)),
                                  metadata=api.admin)


def _customer(api: Api, partner_id: str, **fields: str) -> pb.Customer:
    return api.stub.CreateCustomer(pb.CreateCustomerRequest(customer=pb.Customer(partner_id=partner_id, **fields)),
                                   metadata=api.admin)


def test_duplicate_customer_email_is_already_exists_after_normalising(api: Api) -> None:
    a, b = _partner(api, "A"), _partner(api, "B")
    first = _customer(api, a.id, email="ops@globex.example")
    code, reason, meta = fails(_customer, api, b.id, email="  OPS@Globex.Example ")
    assert (code, reason) == (EXISTS, "CUSTOMER_EMAIL_EXISTS")
    assert meta == {"field": "email", "email": "ops@globex.example"}
    other = _customer(api, a.id, email="other@globex.example")
    code, reason, meta = fails(api.stub.UpdateCustomer, pb.UpdateCustomerRequest(
        customer=pb.Customer(id=other.id, email="Ops@globex.example"),
        update_mask=field_mask_pb2.FieldMask(paths=["email"])), metadata=api.admin)
    assert (code, reason, meta["field"]) == (EXISTS, "CUSTOMER_EMAIL_EXISTS", "email")
    # Re-saving a customer's own email is not a duplicate.
    same = api.stub.UpdateCustomer(pb.UpdateCustomerRequest(customer=pb.Customer(id=first.id, email=first.email),
                                                            update_mask=field_mask_pb2.FieldMask(paths=["email"])),
                                   metadata=api.admin)
    assert same.email == first.email


def test_duplicate_external_id_is_already_exists(api: Api) -> None:
    a = _partner(api, "A")
    _customer(api, a.id, external_id="sf-0042")
    code, reason, meta = fails(_customer, api, a.id, external_id="sf-0042", email="new@x.example")
    assert (code, reason, meta) == (EXISTS, "CUSTOMER_EXTERNAL_ID_EXISTS",
                                    {"field": "external_id", "external_id": "sf-0042"})


def test_same_email_in_another_tenant_is_allowed(api: Api) -> None:
    a = _partner(api, "A")
    _customer(api, a.id, email="shared@x.example", external_id="shared")
    other = create_tenant(api.engine, name="Other", admin_email="admin@other.example")
    p = api.stub.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="P")), metadata=bearer(other.token))
    c = api.stub.CreateCustomer(pb.CreateCustomerRequest(customer=pb.Customer(
        partner_id=p.id, email="shared@x.example", external_id="shared")), metadata=bearer(other.token))
    assert c.email == "shared@x.example"


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "two@@x.example", "sp ace@x.example"])
def test_invalid_email_is_invalid_argument(api: Api, email: str) -> None:
    a = _partner(api, "A")
    code, reason, meta = fails(_customer, api, a.id, email=email)
    assert (code, reason, meta["field"], meta["value"]) == (INVALID, "INVALID_EMAIL", "email", email)


def test_cycle_in_the_tree_is_refused_naming_parent_id(api: Api) -> None:
    dist = _partner(api, "Dist")
    res = _partner(api, "Res", dist.id)
    sub = _partner(api, "Sub", res.id)
    for new_parent in (sub.id, res.id, dist.id):
        code, reason, meta = fails(api.stub.UpdatePartner, pb.UpdatePartnerRequest(
            partner=pb.Partner(id=dist.id, parent_id=new_parent),
            update_mask=field_mask_pb2.FieldMask(paths=["parent_id"])), metadata=api.admin)
        assert (code, reason) == (INVALID, "PARTNER_CYCLE")
        assert meta == {"field": "parent_id", "partner_id": dist.id, "parent_id": new_parent}
    assert api.stub.GetPartner(pb.GetPartnerRequest(partner_id=dist.id), metadata=api.admin).parent_id == ""


def test_unknown_parent_is_invalid_argument_naming_parent_id(api: Api) -> None:
    code, reason, meta = fails(_partner, api, "Orphan", "ptn_doesnotexist")
    assert (code, reason, meta) == (INVALID, "UNKNOWN_PARTNER", {"field": "parent_id", "partner_id": "ptn_doesnotexist"})
    # A partner of another tenant is just as unknown.
    other = create_tenant(api.engine, name="Other", admin_email="admin@other.example")
    foreign = api.stub.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="F")),
                                     metadata=bearer(other.token))
    p = _partner(api, "Mine")
    code, reason, meta = fails(api.stub.UpdatePartner, pb.UpdatePartnerRequest(
        partner=pb.Partner(id=p.id, name="Mine", parent_id=foreign.id)), metadata=api.admin)
    assert (code, reason, meta["field"]) == (INVALID, "UNKNOWN_PARTNER", "parent_id")
    code, reason, meta = fails(_customer, api, foreign.id, email="c@x.example")
    assert (code, reason, meta["field"]) == (INVALID, "UNKNOWN_PARTNER", "partner_id")


def test_bad_machine_key_scopes_are_invalid_argument_naming_scopes(api: Api) -> None:
    def create(scopes: list[str]) -> pb.CreateMachineKeyResponse:
        return api.stub.CreateMachineKey(pb.CreateMachineKeyRequest(
            machine_key=pb.MachineKey(display_name="k", scopes=scopes)), metadata=api.admin)

    code, reason, meta = fails(create, ["events:write", "metrics:write", "directory:admin"])
    assert (code, reason) == (INVALID, "INVALID_SCOPES")
    assert meta == {"field": "scopes", "scopes": "directory:admin,metrics:write", "allowed": "events:write"}
    code, reason, meta = fails(create, [])
    assert (code, reason, meta["field"]) == (INVALID, "INVALID_SCOPES", "scopes")
    code, reason, meta = fails(api.stub.CreateMachineKey, pb.CreateMachineKeyRequest(machine_key=pb.MachineKey(
        scopes=["events:write"], partner_id="ptn_nope")), metadata=api.admin)
    assert (code, reason, meta["field"]) == (INVALID, "UNKNOWN_PARTNER", "partner_id")


def test_deleting_a_partner_with_sub_partners_or_customers_is_failed_precondition(api: Api) -> None:
    dist = _partner(api, "Dist")
    res = _partner(api, "Res", dist.id)
    code, reason, meta = fails(api.stub.DeletePartner, pb.DeletePartnerRequest(partner_id=dist.id), metadata=api.admin)
    assert (code, reason, meta) == (grpc.StatusCode.FAILED_PRECONDITION, "PARTNER_NOT_EMPTY",
                                    {"partner_id": dist.id, "sub_partners": "1"})
    c = _customer(api, res.id, email="x@y.example")
    code, reason, meta = fails(api.stub.DeletePartner, pb.DeletePartnerRequest(partner_id=res.id), metadata=api.admin)
    assert (code, reason, meta) == (grpc.StatusCode.FAILED_PRECONDITION, "PARTNER_NOT_EMPTY",
                                    {"partner_id": res.id, "customers": "1"})
    api.stub.DeleteCustomer(pb.DeleteCustomerRequest(customer_id=c.id), metadata=api.admin)
    api.stub.DeletePartner(pb.DeletePartnerRequest(partner_id=res.id), metadata=api.admin)
    api.stub.DeletePartner(pb.DeletePartnerRequest(partner_id=dist.id), metadata=api.admin)


def test_operator_errors(api: Api) -> None:
    s, md = api.stub, api.admin

    def create(**fields) -> pb.Operator:  # noqa: ANN003
        return s.CreateOperator(pb.CreateOperatorRequest(operator=pb.Operator(**fields)), metadata=md)

    code, reason, meta = fails(create, email="m@acme.example", role=pb.OPERATOR_ROLE_MANAGER,
                               assigned_partner_ids=["ptn_ghost"])
    assert (code, reason, meta) == (INVALID, "UNKNOWN_PARTNER",
                                    {"field": "assigned_partner_ids", "partner_id": "ptn_ghost"})
    code, reason, meta = fails(create, email="m@acme.example")
    assert (code, reason, meta) == (INVALID, "FIELD_REQUIRED", {"field": "role"})
    code, reason, meta = fails(create, email="ADMIN@acme.example ", role=pb.OPERATOR_ROLE_ADMIN)
    assert (code, reason, meta) == (EXISTS, "OPERATOR_EMAIL_EXISTS", {"field": "email", "email": "admin@acme.example"})
    # The only admin can be neither deleted nor demoted: nobody could run the tenant any more.
    me = s.GetCallerIdentity(pb.GetCallerIdentityRequest(), metadata=md)
    code, reason, _ = fails(s.DeleteOperator, pb.DeleteOperatorRequest(operator_id=me.principal_id), metadata=md)
    assert (code, reason) == (grpc.StatusCode.FAILED_PRECONDITION, "LAST_ADMIN")
    code, reason, _ = fails(s.UpdateOperator, pb.UpdateOperatorRequest(
        operator=pb.Operator(id=me.principal_id, role=pb.OPERATOR_ROLE_MANAGER),
        update_mask=field_mask_pb2.FieldMask(paths=["role"])), metadata=md)
    assert (code, reason) == (grpc.StatusCode.FAILED_PRECONDITION, "LAST_ADMIN")


def test_partner_user_and_token_errors(api: Api) -> None:
    s, md = api.stub, api.admin
    a = _partner(api, "A")
    s.CreatePartnerUser(pb.CreatePartnerUserRequest(partner_user=pb.PartnerUser(partner_id=a.id, email="u@a.example")),
                        metadata=md)
    code, reason, meta = fails(s.CreatePartnerUser, pb.CreatePartnerUserRequest(
        partner_user=pb.PartnerUser(partner_id=a.id, email="U@A.example")), metadata=md)
    assert (code, reason, meta) == (EXISTS, "PARTNER_USER_EMAIL_EXISTS", {"field": "email", "email": "u@a.example"})
    code, reason, meta = fails(s.CreatePersonalToken, pb.CreatePersonalTokenRequest(
        personal_token=pb.PersonalToken(subject_id="pu_ghost")), metadata=md)
    assert (code, reason, meta) == (INVALID, "UNKNOWN_SUBJECT", {"field": "subject_id", "subject_id": "pu_ghost"})


def test_bad_update_mask_and_missing_fields(api: Api) -> None:
    p = _partner(api, "A")
    code, reason, meta = fails(api.stub.UpdatePartner, pb.UpdatePartnerRequest(
        partner=pb.Partner(id=p.id), update_mask=field_mask_pb2.FieldMask(paths=["create_time", "name"])),
        metadata=api.admin)
    assert (code, reason, meta) == (INVALID, "INVALID_UPDATE_MASK",
                                    {"field": "update_mask", "paths": "create_time", "writable": "name,parent_id"})
    code, reason, meta = fails(_partner, api, "   ")
    assert (code, reason, meta) == (INVALID, "FIELD_REQUIRED", {"field": "name"})
    code, reason, meta = fails(api.stub.UpdateTenant, pb.UpdateTenantRequest(
        tenant=pb.Tenant(time_zone="Mars/Olympus"), update_mask=field_mask_pb2.FieldMask(paths=["time_zone"])),
        metadata=api.admin)
    assert (code, reason, meta) == (INVALID, "INVALID_TIME_ZONE", {"field": "time_zone", "value": "Mars/Olympus"})


def test_another_tenants_resources_are_not_found(api: Api) -> None:
    a = _partner(api, "A")
    c = _customer(api, a.id, email="mine@a.example")
    key = api.stub.CreateMachineKey(pb.CreateMachineKeyRequest(machine_key=pb.MachineKey(scopes=["events:write"])),
                                    metadata=api.admin).machine_key
    other = bearer(create_tenant(api.engine, name="Other", admin_email="admin@other.example").token)
    s = api.stub
    for call, request, reason in (
        (s.GetPartner, pb.GetPartnerRequest(partner_id=a.id), "PARTNER_NOT_FOUND"),
        (s.DeletePartner, pb.DeletePartnerRequest(partner_id=a.id), "PARTNER_NOT_FOUND"),
        (s.GetCustomer, pb.GetCustomerRequest(customer_id=c.id), "CUSTOMER_NOT_FOUND"),
        (s.UpdateCustomer, pb.UpdateCustomerRequest(customer=pb.Customer(id=c.id, name="x"),
                                                    update_mask=field_mask_pb2.FieldMask(paths=["name"])),
         "CUSTOMER_NOT_FOUND"),
        (s.DeleteCustomer, pb.DeleteCustomerRequest(customer_id=c.id), "CUSTOMER_NOT_FOUND"),
        (s.GetMachineKey, pb.GetMachineKeyRequest(machine_key_id=key.id), "MACHINE_KEY_NOT_FOUND"),
        (s.RevokeMachineKey, pb.RevokeMachineKeyRequest(machine_key_id=key.id), "MACHINE_KEY_NOT_FOUND"),
    ):
        code, got, _ = fails(call, request, metadata=other)
        assert (code, got) == (grpc.StatusCode.NOT_FOUND, reason), call
    assert not s.ListCustomers(pb.ListCustomersRequest(), metadata=other).customers
    assert not s.ListPartners(pb.ListPartnersRequest(), metadata=other).partners
    assert s.GetMachineKey(pb.GetMachineKeyRequest(machine_key_id=key.id), metadata=api.admin).revoke_time.seconds == 0
