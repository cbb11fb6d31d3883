"""The partner tree every request scopes itself with is kept per tenant and partners_version: any
write to partners, through the API, the ORM or raw SQL, is seen by the very next request. On SQLite
and PostgreSQL."""
from __future__ import annotations

import pathlib

import grpc
import pytest
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


def test_a_tenant_recreated_under_its_id_never_gets_a_kept_tree_back(api: Api) -> None:
    """Versions never repeat: a tenant deleted and created again under the same id (or a database
    restored from a backup) reaches no version its old tree was kept under."""
    engine = api.engine
    tenant_id = "ten_twice"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO tenants (id, name, time_zone, week_start, create_time) "
                          "VALUES (:id, 'Once', 'UTC', 1, CURRENT_TIMESTAMP)"), {"id": tenant_id})
        for pid, parent in (("ptn_a", None), ("ptn_b", "ptn_a")):
            conn.execute(text("INSERT INTO partners (id, tenant_id, name, parent_id, create_time) "
                              "VALUES (:id, :t, :id, :parent, CURRENT_TIMESTAMP)"),
                         {"id": pid, "t": tenant_id, "parent": parent})
    assert load_tree(engine, tenant_id).subtree("ptn_a") == {"ptn_a", "ptn_b"}
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM partners WHERE tenant_id = :t"), {"t": tenant_id})
        conn.execute(text("DELETE FROM tenants WHERE id = :t"), {"t": tenant_id})
        conn.execute(text("INSERT INTO tenants (id, name, time_zone, week_start, create_time) "
                          "VALUES (:id, 'Twice', 'UTC', 1, CURRENT_TIMESTAMP)"), {"id": tenant_id})
        for pid in ("ptn_a", "ptn_b"):  # the same ids, now side by side
            conn.execute(text("INSERT INTO partners (id, tenant_id, name, create_time) "
                              "VALUES (:id, :t, :id, CURRENT_TIMESTAMP)"), {"id": pid, "t": tenant_id})
    assert load_tree(engine, tenant_id).subtree("ptn_a") == {"ptn_a"}


def test_the_version_migration_goes_down_and_up_again_with_data(database_url: str) -> None:
    from alembic import command

    from libs.store.migrate import _config

    engine = make_engine(database_url)
    try:
        migrate(engine)
        tenant_id, _ = factories.tenant(engine, "Down and up")
        a = factories.partner(engine, tenant_id, "A")
        factories.customer(engine, tenant_id, a)
        command.downgrade(_config(engine), "identity_0004")
        with engine.begin() as conn:  # the customers triggers of identity_0003 still work
            conn.execute(text("UPDATE customers SET name = 'renamed' WHERE tenant_id = :t"), {"t": tenant_id})
        migrate(engine)
        b = factories.partner(engine, tenant_id, "B", parent_id=a)
        assert load_tree(engine, tenant_id).subtree(a) == {a, b}
        with engine.begin() as conn:
            conn.execute(text("UPDATE partners SET parent_id = NULL WHERE id = :id"), {"id": b})
        assert load_tree(engine, tenant_id).subtree(a) == {a}
    finally:
        engine.dispose()


def test_kept_trees_are_bounded_by_the_partners_they_hold(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from libs.identity import reads

    engine = api.engine
    monkeypatch.setattr(reads, "PARTNERS_KEPT", 3)
    small, _ = factories.tenant(engine, "Small")
    factories.partner(engine, small, "S")
    big, _ = factories.tenant(engine, "Big")
    for name in "ABC":
        factories.partner(engine, big, name)
    first = load_tree(engine, small)
    assert load_tree(engine, small) is first
    load_tree(engine, big)  # 1 + 3 partners kept > 3: the least recent tree goes
    again = load_tree(engine, small)
    assert again is not first and again.partner_ids == first.partner_ids
