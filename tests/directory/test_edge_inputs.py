"""Input at the edges of the directory: control characters, very long ids, a crafted page token,
non-ASCII search, a revoked key on a partner being deleted, and what `partneros admin` prints.
Each gets a clear refusal (or the right answer), never an internal error, on both stores."""
from __future__ import annotations

import base64
import pathlib

import grpc
import pytest
from partneros.directory.v1 import directory_pb2 as pb
from sqlalchemy import update

from libs.errors import Unauthenticated
from libs.identity import models as m
from tests.directory.conftest import Api, fails
from tests.directory.test_cli import _run

INVALID = grpc.StatusCode.INVALID_ARGUMENT


def _partner(api: Api, name: str = "P") -> pb.Partner:
    return api.stub.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name=name)), metadata=api.admin)


def test_control_characters_are_refused_naming_the_field(api: Api) -> None:
    s, md = api.stub, api.admin
    code, reason, meta = fails(s.CreatePartner, pb.CreatePartnerRequest(partner=pb.Partner(name="a\x00b")), metadata=md)
    assert (code, reason, meta["field"]) == (INVALID, "CONTROL_CHARACTER", "name")
    code, reason, _ = fails(s.UpdateTenant, pb.UpdateTenantRequest(
        tenant=pb.Tenant(id=api.tenant_id, name="x\x1b]0;pwned\x07\x1b[2J"), update_mask={"paths": ["name"]}),
        metadata=md)
    assert (code, reason) == (INVALID, "CONTROL_CHARACTER")
    partner = _partner(api)
    for email in ("a\x00b@x.example", "a\x01b@x.example"):
        code, reason, _ = fails(s.CreateCustomer, pb.CreateCustomerRequest(customer=pb.Customer(
            partner_id=partner.id, email=email)), metadata=md)
        assert (code, reason) == (INVALID, "INVALID_EMAIL")
    code, reason, _ = fails(s.GetCustomer, pb.GetCustomerRequest(customer_id="cus_\x00"), metadata=md)
    assert (code, reason) == (INVALID, "CONTROL_CHARACTER")
    code, reason, _ = fails(s.ListCustomers, pb.ListCustomersRequest(query="a\x00"), metadata=md)
    assert (code, reason) == (INVALID, "CONTROL_CHARACTER")
    # a line break in a description-like field is text, not a control character
    assert _partner(api, " Two\tWords ").name == "Two\tWords"


def test_very_long_ids_get_their_own_answer_not_an_oversized_error(api: Api) -> None:
    s, md = api.stub, api.admin
    code, reason, meta = fails(s.GetCustomer, pb.GetCustomerRequest(customer_id="c" * 8000), metadata=md)
    assert (code, reason, meta["field"]) == (INVALID, "FIELD_TOO_LONG", "customer_id")
    code, reason, meta = fails(s.CreateCustomer, pb.CreateCustomerRequest(customer=pb.Customer(
        partner_id="p" * 20_000, name="Big")), metadata=md)
    assert code in (grpc.StatusCode.NOT_FOUND, INVALID) and reason != "RESOURCE_EXHAUSTED"
    assert all(len(value) <= 200 for value in meta.values())
    code, reason, _ = fails(s.CreateOperator, pb.CreateOperatorRequest(operator=pb.Operator(
        email="x" * 20_000 + "@x.example", role=pb.OPERATOR_ROLE_ADMIN)), metadata=md)
    assert (code, reason) == (INVALID, "INVALID_EMAIL")


def test_a_page_token_nested_too_deep_is_just_not_a_token(api: Api) -> None:
    token = base64.urlsafe_b64encode(b"[" * 100_000).decode().rstrip("=")
    code, reason, _ = fails(api.stub.ListPartners, pb.ListPartnersRequest(page_token=token), metadata=api.admin)
    assert (code, reason) == (INVALID, "INVALID_PAGE_TOKEN")


def test_customer_search_folds_case_beyond_ascii(api: Api) -> None:
    partner = _partner(api)
    created = api.stub.CreateCustomer(pb.CreateCustomerRequest(customer=pb.Customer(
        partner_id=partner.id, name="Österreich Handel")), metadata=api.admin)
    for query in ("österreich", "ÖSTERREICH", "handel"):
        found = api.stub.ListCustomers(pb.ListCustomersRequest(query=query), metadata=api.admin).customers
        assert [c.id for c in found] == [created.id], query


def test_a_revoked_key_does_not_keep_its_partner_alive(api: Api) -> None:
    s, md = api.stub, api.admin
    partner = _partner(api, "Gone soon")
    key = s.CreateMachineKey(pb.CreateMachineKeyRequest(machine_key=pb.MachineKey(
        display_name="old feed", scopes=["events:write"], partner_id=partner.id)), metadata=md).machine_key
    code, reason, meta = fails(s.DeletePartner, pb.DeletePartnerRequest(partner_id=partner.id), metadata=md)
    assert (code, reason, meta["machine_keys"]) == (grpc.StatusCode.FAILED_PRECONDITION, "PARTNER_NOT_EMPTY", "1")
    s.RevokeMachineKey(pb.RevokeMachineKeyRequest(machine_key_id=key.id), metadata=md)
    s.DeletePartner(pb.DeletePartnerRequest(partner_id=partner.id), metadata=md)
    kept = s.GetMachineKey(pb.GetMachineKeyRequest(machine_key_id=key.id), metadata=md)
    assert kept.HasField("revoke_time") and kept.partner_id == ""


def test_the_admin_cli_refuses_a_bad_display_name_and_never_prints_raw_control_characters(tmp_path: pathlib.Path) -> None:
    data_dir = tmp_path / "data"
    made = _run(data_dir, "admin", "create-tenant", "--name", "Initech", "--admin-email", "boss@initech.example")
    assert made.returncode == 0, made.stderr
    tenant_id = dict(line.split("=", 1) for line in made.stdout.strip().splitlines())["tenant_id"]
    long_name = _run(data_dir, "admin", "create-token", "--tenant-id", tenant_id, "--email", "boss@initech.example",
                     "--display-name", "n" * 300)
    assert long_name.returncode == 2 and "FIELD_TOO_LONG" in long_name.stderr and "Traceback" not in long_name.stderr
    from libs.store import make_engine

    engine = make_engine(f"sqlite:///{data_dir / 'partneros.sqlite3'}")
    with engine.begin() as conn:  # a name from before names were checked, written by hand
        conn.execute(update(m.Tenant).where(m.Tenant.id == tenant_id).values(name="n\x1b[2Jx\x07"))
    engine.dispose()
    listed = _run(data_dir, "admin", "list-tenants")
    assert listed.returncode == 0 and "\x1b" not in listed.stdout and "\x07" not in listed.stdout
    assert "n\\x1b[2Jx\\x07" in listed.stdout


def test_a_write_that_waited_for_the_lock_runs_only_if_its_caller_is_unchanged(api: Api) -> None:
    """Authentication happens before a write waits for the tenant's lock. An admin deleted, or a
    manager reassigned, while their write waited must not have it applied: it is refused once
    the lock is held, as their next call would be."""
    from libs.auth.context import PRINCIPAL
    from libs.identity.authenticate import Authenticator
    from services.directory import operators, partners

    s, md = api.stub, api.admin
    made = s.CreateOperator(pb.CreateOperatorRequest(operator=pb.Operator(
        email="b@acme.example", role=pb.OPERATOR_ROLE_ADMIN)), metadata=md)
    token = s.CreatePersonalToken(pb.CreatePersonalTokenRequest(personal_token=pb.PersonalToken(
        subject_id=made.id, display_name="b")), metadata=md).secret
    stale = Authenticator(api.engine)(token)  # who B was when their request came in
    assert stale is not None and stale.is_admin
    s.DeleteOperator(pb.DeleteOperatorRequest(operator_id=made.id), metadata=md)  # meanwhile, B is deleted
    seen = PRINCIPAL.set(stale)
    try:
        with pytest.raises(Unauthenticated) as refused:
            operators.create(api.engine, pb.CreateOperatorRequest(operator=pb.Operator(
                email="evil@acme.example", role=pb.OPERATOR_ROLE_ADMIN)))
        assert refused.value.reason == "CREDENTIALS_CHANGED"
        with pytest.raises(Unauthenticated):
            partners.create(api.engine, pb.CreatePartnerRequest(partner=pb.Partner(name="Late")))
    finally:
        PRINCIPAL.reset(seen)
    listed = s.ListOperators(pb.ListOperatorsRequest(), metadata=md).operators
    assert "evil@acme.example" not in {o.email for o in listed}


def test_one_email_is_one_address_however_its_characters_are_composed(api: Api) -> None:
    s, md = api.stub, api.admin
    partner = _partner(api)
    composed, decomposed = "jos\u00e9@x.example", "jose\u0301@x.example"
    first = s.CreateCustomer(pb.CreateCustomerRequest(customer=pb.Customer(partner_id=partner.id, email=composed)),
                             metadata=md)
    code, reason, _ = fails(s.CreateCustomer, pb.CreateCustomerRequest(customer=pb.Customer(
        partner_id=partner.id, email=decomposed.upper())), metadata=md)
    assert (code, reason) == (grpc.StatusCode.ALREADY_EXISTS, "CUSTOMER_EMAIL_EXISTS")
    assert first.email == composed
    wide = s.CreateOperator(pb.CreateOperatorRequest(operator=pb.Operator(
        email="\uff21\uff22@x.example", role=pb.OPERATOR_ROLE_ADMIN)), metadata=md)  # full-width "AB"
    assert wide.email == "ab@x.example"


def test_the_migration_puts_stored_emails_in_one_form_and_merges_none(sqlite_url: str) -> None:
    from sqlalchemy import insert, select, text

    from libs.store import make_engine, migrate

    engine = make_engine(sqlite_url)
    migrate(engine, "identity_0003")
    with engine.begin() as conn:
        # the tenants table as it stood at identity_0003 (today's model has columns added since)
        conn.execute(text("INSERT INTO tenants (id, name, time_zone, week_start, customers_version, create_time) "
                          "VALUES ('ten_1', 'T', 'UTC', 1, 0, CURRENT_TIMESTAMP)"))
        conn.execute(insert(m.Partner.__table__).values(id="ptn_1", tenant_id="ten_1", name="P", parent_id=None,
                                                       create_time=m.utcnow()))
        for cid, email in (("cus_1", "jose\u0301@x.example"), ("cus_2", "\uff41@x.example"), ("cus_3", "a@x.example")):
            conn.execute(insert(m.Customer.__table__).values(id=cid, tenant_id="ten_1", partner_id="ptn_1", name="",
                                                            email=email, create_time=m.utcnow()))
    migrate(engine)
    with engine.connect() as conn:
        emails = dict(conn.execute(select(m.Customer.id, m.Customer.email)).all())
    # cus_2's NFKC form is cus_3's address: left as it was, for an admin to merge
    assert emails == {"cus_1": "jos\u00e9@x.example", "cus_2": "\uff41@x.example", "cus_3": "a@x.example"}
    engine.dispose()
