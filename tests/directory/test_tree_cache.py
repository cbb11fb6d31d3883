"""The partner tree every request scopes itself with is kept per tenant and partners_version: any
write to partners, through the API, the ORM or raw SQL, is seen by the very next request. On SQLite
and PostgreSQL."""
from __future__ import annotations

import pathlib

import grpc
from partneros.directory.v1 import directory_pb2 as pb
from sqlalchemy import text

from libs.identity.reads import load_tree
from libs.store import make_engine, migrate
from tests import factories
from tests.conftest import bearer
from tests.directory.conftest import Api, fails


def test_every_write_to_partners_is_seen_by_the_next_read(api: Api) -> None:
    engine, t = api.engine, api.tenant_id
    a = factories.partner(engine, t, "A")
    b = factories.partner(engine, t, "B", parent_id=a)
    first = load_tree(engine, t)
    assert first.subtree(a) == {a, b}
    assert load_tree(engine, t) is first  # nothing changed: the tree read last

    c = factories.partner(engine, t, "C", parent_id=b)  # through the ORM
    assert load_tree(engine, t).subtree(a) == {a, b, c}
    with engine.begin() as conn:  # raw SQL: C moves out from under A
        conn.execute(text("UPDATE partners SET parent_id = NULL WHERE id = :id"), {"id": c})
    assert load_tree(engine, t).subtree(a) == {a, b}
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM partners WHERE id = :id"), {"id": c})
    assert c not in load_tree(engine, t)


def test_a_manager_loses_a_partner_moved_away_at_the_next_call(api: Api) -> None:
    s, md = api.stub, api.admin
    mine = s.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="Mine")), metadata=md)
    sub = s.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name="Sub", parent_id=mine.id)), metadata=md)
    _, token = factories.operator(api.engine, api.tenant_id, role="manager", assigned=(mine.id,))
    manager = bearer(token)
    assert s.GetPartner(pb.GetPartnerRequest(partner_id=sub.id), metadata=manager).id == sub.id  # kept warm
    s.UpdatePartner(pb.UpdatePartnerRequest(partner=pb.Partner(id=sub.id, name="Sub")), metadata=md)  # to the root
    code, _, _ = fails(s.GetPartner, pb.GetPartnerRequest(partner_id=sub.id), metadata=manager)
    assert code in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED)
    listed = s.ListPartners(pb.ListPartnersRequest(), metadata=manager)
    assert [p.id for p in listed.partners] == [mine.id]


def test_a_kept_tree_never_serves_another_tenant_or_database(api: Api, tmp_path: pathlib.Path) -> None:
    engine, t = api.engine, api.tenant_id
    own = factories.partner(engine, t, "Own")
    other_tenant, _ = factories.tenant(engine, "Other")
    theirs = factories.partner(engine, other_tenant, "Theirs")
    assert load_tree(engine, t).partner_ids == {own}
    assert load_tree(engine, other_tenant).partner_ids == {theirs}
    # Another database holding a tenant of the same id and version: its own tree, not this one's.
    elsewhere = make_engine(f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    migrate(elsewhere)
    with engine.connect() as conn:
        version = conn.execute(text("SELECT partners_version FROM tenants WHERE id = :id"), {"id": t}).scalar_one()
    with elsewhere.begin() as conn:
        conn.execute(text("INSERT INTO tenants (id, name, time_zone, week_start, create_time, customers_version, "
                          "partners_version) VALUES (:id, 'Twin', 'UTC', 1, CURRENT_TIMESTAMP, 0, :v)"),
                     {"id": t, "v": version})
    try:
        assert load_tree(elsewhere, t).partner_ids == frozenset()
        assert load_tree(engine, t).partner_ids == {own}
    finally:
        elsewhere.dispose()
