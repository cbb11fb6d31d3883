"""The rail keeps resolved customer references between batches; a change to the tenant's
customers (new, moved, deleted, re-addressed) is seen by the very next batch, on SQLite and on
PostgreSQL, whichever process made it."""
from __future__ import annotations

import grpc
import pytest
from google.protobuf import field_mask_pb2
from partneros.directory.v1 import directory_pb2 as dpb
from partneros.directory.v1 import directory_pb2_grpc
from partneros.ingest.v1 import ingest_pb2 as pb
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from libs.identity import models as m
from tests.conftest import bearer, make_settings, running_host
from tests.factories import World, customer, machine_key
from tests.ingest.helpers import call, event, stored

ACCEPTED, QUARANTINED = pb.EVENT_STATUS_ACCEPTED, pb.EVENT_STATUS_QUARANTINED


@pytest.fixture
def db_host(tmp_path, clickhouse_dsn, database_url):  # noqa: ANN001, ANN201
    with running_host(make_settings(tmp_path, clickhouse_dsn, database_url)) as h:
        yield h


def _one(channel, key: str, event_id: str, **ref: str) -> pb.EventResult:  # noqa: ANN001
    return call(channel, key, [event(event_id=event_id, **ref)]).results[0]


def test_new_moved_readdressed_and_deleted_customers_take_effect_on_the_next_batch(db_host) -> None:  # noqa: ANN001
    world = World.build(db_host.context.engine)
    _, key = machine_key(db_host.context.engine, world.tenant_id)
    md = bearer(world.admin_token)
    with grpc.insecure_channel(db_host.address) as channel:
        directory = directory_pb2_grpc.DirectoryServiceStub(channel)
        # Unknown: quarantined (and the miss is remembered) ...
        assert _one(channel, key, "n-1", email="late@example.com").status == QUARANTINED
        # ... until the customer exists: the next batch resolves it.
        late = directory.CreateCustomer(dpb.CreateCustomerRequest(customer=dpb.Customer(
            partner_id=world.partners["res_a1"], email="late@example.com")), metadata=md)
        assert _one(channel, key, "n-2", email="late@example.com").status == ACCEPTED

        # Moved to another partner: the next event is stored under the new one.
        directory.UpdateCustomer(dpb.UpdateCustomerRequest(
            customer=dpb.Customer(id=late.id, partner_id=world.partners["dist_b"]),
            update_mask=field_mask_pb2.FieldMask(paths=["partner_id"])), metadata=md)
        assert _one(channel, key, "n-3", email="late@example.com").status == ACCEPTED

        # A new email: the old one no longer resolves, the new one does.
        directory.UpdateCustomer(dpb.UpdateCustomerRequest(
            customer=dpb.Customer(id=late.id, email="renamed@example.com"),
            update_mask=field_mask_pb2.FieldMask(paths=["email"])), metadata=md)
        assert _one(channel, key, "n-4", email="late@example.com").status == QUARANTINED
        assert _one(channel, key, "n-5", email="renamed@example.com").status == ACCEPTED

        # Deleted: quarantined again.
        directory.DeleteCustomer(dpb.DeleteCustomerRequest(customer_id=late.id), metadata=md)
        assert _one(channel, key, "n-6", customer_id=late.id).status == QUARANTINED
    partners = {r["event_id"]: r["partner_id"] for r in stored(db_host, world.tenant_id)}
    assert partners == {"n-2": world.partners["res_a1"], "n-3": world.partners["dist_b"],
                        "n-5": world.partners["dist_b"]}


def test_a_customer_added_by_another_process_resolves_on_the_next_batch(db_host) -> None:  # noqa: ANN001
    """Writes straight to the store (as the directory in another process would) are seen too."""
    from libs.store import make_engine

    world = World.build(db_host.context.engine)
    _, key = machine_key(db_host.context.engine, world.tenant_id)
    other = make_engine(db_host.context.settings.database_url)  # its own connections, like another process
    with grpc.insecure_channel(db_host.address) as channel:
        assert _one(channel, key, "o-1", external_id="crm-late").status == QUARANTINED
        customer(other, world.tenant_id, world.partners["sub_a1x"], external_id="crm-late")
        assert _one(channel, key, "o-2", external_id="crm-late").status == ACCEPTED
    other.dispose()


def test_every_write_to_customers_bumps_the_tenant_version_and_nothing_else_does(database_url) -> None:
    from libs.store import make_engine, migrate

    engine = make_engine(database_url)
    migrate(engine)
    world = World.build(engine)

    def version() -> int:
        with Session(engine) as s:
            return s.scalar(select(m.Tenant.customers_version).where(m.Tenant.id == world.tenant_id))

    before = version()
    cid = customer(engine, world.tenant_id, world.partners["dist_a"], email="v@example.com")
    assert version() == before + 1
    with Session(engine) as s, s.begin():
        s.get(m.Customer, cid).partner_id = world.partners["dist_b"]
    assert version() == before + 2
    with Session(engine) as s, s.begin():
        s.get(m.Customer, cid).name = s.get(m.Customer, cid).name  # no change: no bump
        s.get(m.Partner, world.partners["dist_a"]).name = "Renamed"  # not a customer: no bump
    assert version() == before + 2
    with Session(engine) as s, s.begin():
        s.delete(s.get(m.Customer, cid))
    assert version() == before + 3
    with Session(engine) as s, s.begin():  # a write to the tenant itself is not a customer change
        s.execute(update(m.Tenant).where(m.Tenant.id == world.tenant_id).values(name="Same"))
    assert version() == before + 3
    # The database bumps it, so a write around the ORM counts too (a bulk import, a fix by hand).
    with engine.begin() as conn:
        conn.execute(update(m.Customer).where(m.Customer.tenant_id == world.tenant_id).values(name="Bulk"))
    assert version() > before + 3
    engine.dispose()
