"""QueryEvents names each event's customer, but only one that belongs now to the slice read:
a customer moved to another partner keeps its history where it happened, shown by id alone."""
from __future__ import annotations

import datetime as dt

from partneros.common.v1 import level_pb2
from partneros.metrics.v1 import metrics_pb2 as pb
from sqlalchemy import update
from sqlalchemy.orm import Session

from libs.identity import models as m
from tests import factories
from tests.conftest import bearer
from tests.metrics.conftest import event, insert_events

UTC = dt.timezone.utc
T0 = dt.datetime(2025, 9, 1, 8, tzinfo=UTC)


def _names(stub, token: str, level: level_pb2.Level | None = None) -> dict[str, str]:  # noqa: ANN001
    request = pb.QueryEventsRequest(page_size=100)
    if level is not None:
        request.level.CopyFrom(level)
    return {e.event_id: e.customer_name for e in stub.QueryEvents(request, metadata=bearer(token)).events}


def test_names_follow_the_customer_current_slice(stub, engine, pool) -> None:  # noqa: ANN001
    tenant_id, admin = factories.tenant(engine, "Names")
    north, south = factories.partner(engine, tenant_id, "North"), factories.partner(engine, tenant_id, "South")
    stays = factories.customer(engine, tenant_id, south, name="Stays South")
    moves = factories.customer(engine, tenant_id, south, name="Moves North")
    insert_events(pool, [event(tenant_id, south, stays, "usage", T0, {}, event_id="stay-1"),
                         event(tenant_id, south, moves, "usage", T0, {}, event_id="old-1")])
    with Session(engine) as s, s.begin():
        s.execute(update(m.Customer).where(m.Customer.id == moves).values(partner_id=north))
    insert_events(pool, [event(tenant_id, north, moves, "usage", T0 + dt.timedelta(hours=1), {}, event_id="new-1")])
    _, south_user = factories.partner_user(engine, tenant_id, south)
    _, north_user = factories.partner_user(engine, tenant_id, north)

    assert _names(stub, admin) == {"stay-1": "Stays South", "old-1": "Moves North", "new-1": "Moves North"}
    # South still sees the old event, but not what its former customer is called now.
    assert _names(stub, south_user) == {"stay-1": "Stays South", "old-1": ""}
    assert _names(stub, north_user) == {"new-1": "Moves North"}
    # The admin reading South's slice: the same rule, the slice read decides.
    south_level = level_pb2.Level(kind=level_pb2.LEVEL_KIND_PARTNER, id=south)
    assert _names(stub, admin, south_level) == {"stay-1": "Stays South", "old-1": ""}
