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


@settings(max_examples=50, deadline=None)
@given(chunks=st.lists(_keys, max_size=12), max_bytes=st.sampled_from([0, 300, 10**6]))
def test_every_added_id_stays_a_maybe_as_layers_are_added(chunks: list[list[int]], max_bytes: int) -> None:
    seen = SeenFilter(capacity=32, false_maybe_rate=0.01, max_bytes=max_bytes)  # full after a few adds
    for chunk in chunks:
        seen.add("ten_a", chunk)
    added = [k for chunk in chunks for k in chunk]
    assert seen.maybe("ten_a", added) == added
    assert seen.size_in_bytes <= max(max_bytes, SeenFilter(capacity=32, false_maybe_rate=0.01).size_in_bytes)


def test_a_full_filter_grows_and_keeps_its_false_maybe_rate() -> None:
    rnd = random.Random(9)
    stored = [rnd.getrandbits(64) for _ in range(32_000)]  # 32 times the first layer's capacity
    fresh = [rnd.getrandbits(64) for _ in range(50_000)]
    growing = SeenFilter(capacity=1_000, false_maybe_rate=0.001)
    fixed = SeenFilter(capacity=1_000, false_maybe_rate=0.001, max_bytes=0)  # never adds a layer
    for start in range(0, len(stored), 1_000):  # batch by batch, as the rail adds them
        growing.add("ten_a", stored[start:start + 1_000])
        fixed.add("ten_a", stored[start:start + 1_000])
    assert growing.maybe("ten_a", stored) == stored and fixed.maybe("ten_a", stored) == stored
    assert growing.layers == 6  # 1,000 + 2,000 + ... + 32,000 ids
    # Over all layers the rate stays below twice the first layer's (0.2%: 100 of 50,000 on
    # average), where a filter that cannot grow calls nearly every new id a maybe.
    assert len(growing.maybe("ten_a", fresh)) < 200
    assert len(fixed.maybe("ten_a", fresh)) > 40_000


def test_the_filter_stops_growing_at_its_memory_bound() -> None:
    rnd = random.Random(3)
    seen = SeenFilter(capacity=1_000, false_maybe_rate=0.001, max_bytes=10_000)
    stored = [rnd.getrandbits(64) for _ in range(20_000)]
    seen.add("ten_a", stored)
    assert seen.layers == 2 and seen.size_in_bytes <= 10_000  # a third layer (~8.6 kB) would not fit
    assert seen.maybe("ten_a", stored) == stored  # over-filled: more maybes, never a wrong "not stored"


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
