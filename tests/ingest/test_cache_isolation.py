"""What the rail keeps between batches never crosses principals or tenants.

- Resolved customer references are kept per tenant; the caller's reach is applied to every
  batch after the lookup, so a reference another key resolved is still foreign to a bound key.
- The dedupe filter holds "may be stored" per tenant; an id stored in one tenant is new in another.
(Listed in tests/isolation/test_caches.py KNOWN.)
"""
from __future__ import annotations

from partneros.ingest.v1 import ingest_pb2 as pb

from tests.factories import World, machine_key
from tests.ingest.helpers import call, event, stored

ACCEPTED, QUARANTINED = pb.EVENT_STATUS_ACCEPTED, pb.EVENT_STATUS_QUARANTINED


def test_a_reference_resolved_for_a_wide_key_stays_foreign_to_a_bound_key(host, channel, world) -> None:
    _, wide = machine_key(host.context.engine, world.tenant_id)
    _, bound = machine_key(host.context.engine, world.tenant_id, partner_id=world.partners["res_a1"])
    refs = {"customer_id": world.customers["dist_b"], "external_id": "ext-dist_b",
            "email": f"dist_b@{world.tenant_id}.example.com"}
    warm = call(channel, wide, [event(event_id=f"w-{k}", **{k: v}) for k, v in refs.items()])
    assert warm.accepted_count == 3  # now every reference of dist_b is cached for the tenant
    cold = call(channel, bound, [event(event_id=f"b-{k}", **{k: v}) for k, v in refs.items()])
    assert [r.status for r in cold.results] == [QUARANTINED] * 3
    inside = call(channel, bound, [event(event_id="in", external_id="ext-sub_a1x")])
    assert inside.results[0].status == ACCEPTED


def test_nothing_cached_for_one_tenant_answers_for_another(host, channel, world) -> None:
    other = World.build(host.context.engine, name="Other")
    _, key1 = machine_key(host.context.engine, world.tenant_id)
    _, key2 = machine_key(host.context.engine, other.tenant_id)
    first = call(channel, key1, [event(event_id="same-id", external_id="ext-dist_a")])
    assert first.results[0].status == ACCEPTED
    # The same external id and event id in the other tenant: its own customer, a new event.
    second = call(channel, key2, [event(event_id="same-id", external_id="ext-dist_a")])
    assert second.results[0].status == ACCEPTED
    # The first tenant's customer id means nothing in the other tenant, warm cache or not.
    foreign = call(channel, key2, [event(event_id="x", customer_id=world.customers["dist_a"])])
    assert foreign.results[0].status == QUARANTINED
    assert stored(host, other.tenant_id)[0]["customer_id"] == other.customers["dist_a"]
