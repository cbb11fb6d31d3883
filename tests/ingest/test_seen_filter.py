"""The dedupe filter in front of the stored-already lookup: it never answers "not stored" for an
id that could be stored, and it spares the lookup for nearly every new id."""
from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from services.ingest.ids import dedupe_key
from services.ingest.seen import SeenFilter
from tests.ingest.helpers import call, event

_keys = st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=200)


@settings(max_examples=50, deadline=None)
@given(added=st.dictionaries(st.sampled_from(["ten_a", "ten_b", "ten_c"]), _keys), probe=_keys)
def test_every_added_id_stays_a_maybe_for_its_tenant(added: dict[str, list[int]], probe: list[int]) -> None:
    seen = SeenFilter(capacity=10_000)
    for tenant, keys in added.items():
        seen.add(tenant, keys)
    for tenant, keys in added.items():
        assert seen.maybe(tenant, keys + probe)[:len(keys)] == keys


def test_new_ids_are_almost_never_a_maybe() -> None:
    seen = SeenFilter(capacity=100_000)
    rnd = random.Random(5)
    seen.add("ten_a", [rnd.getrandbits(64) for _ in range(100_000)])
    fresh = [rnd.getrandbits(64) for _ in range(20_000)]
    # At the filter's 1-in-100,000 rate, 20,000 new ids give 0.2 false maybes on average.
    assert len(seen.maybe("ten_a", fresh)) <= 3
    # The same ids under another tenant are new there too.
    assert len(seen.maybe("ten_b", seen.maybe("ten_a", fresh) or fresh[:1000])) <= 3


def test_a_filter_loaded_from_the_index_knows_every_stored_id(host, channel, world, key) -> None:
    ids = [f"known-{i}" for i in range(50)]
    response = call(channel, key, [event(event_id=e, external_id="ext-dist_a") for e in ids])
    assert response.accepted_count == 50
    seen = SeenFilter(capacity=1_000_000)
    with host.context.clickhouse.client() as client:
        assert seen.load(client) >= 50
    keys = [dedupe_key(e) for e in ids]
    assert seen.maybe(world.tenant_id, keys) == keys
    assert seen.maybe("ten_elsewhere", keys) == []
