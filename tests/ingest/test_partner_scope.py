"""A partner-bound key reaches its partner and that partner's sub-partners, nothing else; a
customer outside its reach is indistinguishable from a customer nobody has."""
from __future__ import annotations

import pytest
from partneros.ingest.v1 import ingest_pb2 as pb

from tests.conftest import bearer
from tests.factories import machine_key
from tests.ingest.helpers import call, event, stored, stub

ACCEPTED, QUARANTINED = pb.EVENT_STATUS_ACCEPTED, pb.EVENT_STATUS_QUARANTINED


def _refs(world, name: str) -> dict[str, str]:  # noqa: ANN001
    return {"customer_id": world.customers[name], "external_id": f"ext-{name}",
            "email": f"{name}@{world.tenant_id}.example.com"}


UNKNOWN = {"customer_id": "cus_00000000deadbeef", "external_id": "ext-nobody", "email": "nobody@nowhere.example"}


@pytest.mark.parametrize("kind", ["customer_id", "external_id", "email"])
def test_bound_key_treats_a_foreign_customer_exactly_like_an_unknown_one(host, channel, world, kind) -> None:
    _, key = machine_key(host.context.engine, world.tenant_id, partner_id=world.partners["res_a1"])
    foreign = ["dist_a", "dist_b", "res_a2"]  # the parent, another distributor, a sibling
    events = [event(event_id=f"f-{name}", **{kind: _refs(world, name)[kind]}) for name in foreign]
    events.append(event(event_id="nobody", **{kind: UNKNOWN[kind]}))
    response = call(channel, key, events)
    control = response.results[-1]
    assert control.status == QUARANTINED
    for result in response.results[:-1]:
        # Same status, reason and message (up to the position): nothing tells the two apart.
        assert (result.status, result.reason) == (control.status, control.reason)
        assert result.message.replace(f"[{result.index}]", "[i]") == control.message.replace(f"[{control.index}]", "[i]")
        for name in foreign:
            assert _refs(world, name)[kind] not in result.message
    assert stored(host, world.tenant_id) == []


def test_bound_key_reaches_its_partner_and_every_sub_partner(host, channel, world) -> None:
    _, key = machine_key(host.context.engine, world.tenant_id, partner_id=world.partners["dist_a"])
    inside = ["dist_a", "res_a1", "res_a2", "sub_a1x", "sub_a1y"]
    kinds = ["customer_id", "external_id", "email"]
    events = [event(event_id=f"in-{n}", **{kinds[i % 3]: _refs(world, n)[kinds[i % 3]]}) for i, n in enumerate(inside)]
    response = call(channel, key, events)
    assert [r.status for r in response.results] == [ACCEPTED] * len(inside)
    rows = {r["event_id"]: r for r in stored(host, world.tenant_id)}
    assert {rows[f"in-{n}"]["partner_id"] for n in inside} == {world.partners[n] for n in inside}


def test_unbound_key_reaches_the_whole_tenant(host, channel, world, key) -> None:
    response = call(channel, key, [event(external_id=f"ext-{n}") for n in world.customers])
    assert response.accepted_count == len(world.customers)


def test_bound_key_events_stay_quarantined_on_replay_even_by_an_admin(host, channel, world) -> None:
    """Replay resolves within the slice of the key that sent the event, not the operator's."""
    _, key = machine_key(host.context.engine, world.tenant_id, partner_id=world.partners["res_a1"])
    call(channel, key, [event(event_id="away", external_id="ext-dist_b")])
    replay = stub(channel).ReplayQuarantinedEvents(pb.ReplayQuarantinedEventsRequest(),
                                                   metadata=bearer(world.admin_token))
    assert (replay.replayed_count, replay.pending_count) == (0, 1)
    assert stored(host, world.tenant_id) == []
