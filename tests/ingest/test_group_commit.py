"""Group commit: batches that arrive while an insert is in flight share the next insert, each
is acknowledged only once its own insert is confirmed, and a failed insert fails every batch
in it (and nothing else)."""
from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait

import pytest

from services.ingest.commit import GroupCommit
from tests.ingest.helpers import call, event, stored

_WAIT = 10.0  # seconds any step may take before the test fails instead of hanging


class _Engine:
    """A stand-in event store that records each insert and can hold inserts mid-way."""

    def __init__(self) -> None:
        self.inserts: list[list[str]] = []
        self.failing: set[str] = set()  # an insert holding one of these fails
        self.slow: set[str] = set()  # an insert holding one of these takes a while
        self.empty = 0  # inserts asked for no batch at all (never right)
        self._state = threading.Condition()
        self._to_hold = 0  # how many of the next inserts block until `release`
        self._holding = 0
        self._go = False

    def hold(self, count: int) -> None:
        self._to_hold, self._go = count, False

    def wait_held(self, count: int) -> None:
        with self._state:
            assert self._state.wait_for(lambda: self._holding >= count, _WAIT)

    def release(self) -> None:
        with self._state:
            self._go = True
            self._state.notify_all()

    def insert(self, items: Sequence[str]) -> None:
        with self._state:
            if self._to_hold:
                self._to_hold -= 1
                self._holding += 1
                self._state.notify_all()
                assert self._state.wait_for(lambda: self._go, _WAIT)
        if not items:
            self.empty += 1
            raise AssertionError("an insert of no batch")
        if self.slow.intersection(items):
            time.sleep(0.3)
        if self.failing.intersection(items):
            raise ConnectionError("store down")
        with self._state:
            self.inserts.append(list(items))


def _behind_held_inserts(engine: _Engine, commits: GroupCommit, held: list[str],
                         waiting: int) -> tuple[list[Future], list[Future]]:
    """Submit the `held` batches and hold their inserts; submit b0..b{waiting-1} meanwhile; release
    once they all wait (none of them acknowledged before). The futures of both kinds."""
    engine.hold(len(held))
    with ThreadPoolExecutor(len(held) + waiting) as pool:
        first = [pool.submit(commits.submit, name, 10) for name in held]
        engine.wait_held(len(held))
        rest = [pool.submit(commits.submit, f"b{i}", 10) for i in range(waiting)]
        deadline = time.monotonic() + _WAIT
        while len(commits._queue) < waiting:  # noqa: SLF001 - how many wait is the state under test
            assert time.monotonic() < deadline, "batches never queued"
            time.sleep(0.005)
        assert not any(f.done() for f in rest)
        engine.release()
        wait([*first, *rest], _WAIT)
    return first, rest


def test_a_lone_batch_is_inserted_at_once() -> None:
    engine = _Engine()
    commits = GroupCommit(engine.insert, max_rows=100)
    commits.submit("a", 10)
    commits.submit("b", 10)
    assert engine.inserts == [["a"], ["b"]]
    assert (commits.inserts, commits.batches) == (2, 2)


def test_batches_waiting_for_an_insert_share_the_next_one() -> None:
    engine = _Engine()
    commits = GroupCommit(engine.insert, max_rows=100, max_in_flight=1)
    first, rest = _behind_held_inserts(engine, commits, ["first"], 5)
    assert not any(f.exception() for f in [*first, *rest])
    assert engine.inserts[0] == ["first"]
    assert sorted(engine.inserts[1]) == [f"b{i}" for i in range(5)] and len(engine.inserts) == 2
    assert (commits.inserts, commits.batches) == (2, 6)


def test_with_two_slots_two_batches_insert_side_by_side_and_the_rest_wait_together() -> None:
    engine = _Engine()
    commits = GroupCommit(engine.insert, max_rows=100, max_in_flight=2)
    first, rest = _behind_held_inserts(engine, commits, ["one", "two"], 4)  # both held at once: two slots
    assert not any(f.exception() for f in [*first, *rest])
    assert sorted(map(tuple, engine.inserts)) == [("b0", "b1", "b2", "b3"), ("one",), ("two",)]


def test_a_batch_riding_in_another_insert_waits_for_it_instead_of_leading_an_empty_one() -> None:
    """Two slots: while the insert holding b0 and b1 runs, the other slot frees up. b1's submitter
    must keep waiting for the insert it rides in, not take the free slot for an empty queue."""
    engine = _Engine()
    engine.slow.add("b0")
    commits = GroupCommit(engine.insert, max_rows=100, max_in_flight=2)
    first, rest = _behind_held_inserts(engine, commits, ["one", "two"], 2)
    assert not any(f.exception() for f in [*first, *rest])
    assert sorted(map(tuple, engine.inserts)) == [("b0", "b1"), ("one",), ("two",)]
    assert (commits.inserts, commits.batches, engine.empty) == (3, 4, 0)


def test_an_insert_takes_at_most_max_rows_and_every_batch_is_inserted_once() -> None:
    engine = _Engine()
    commits = GroupCommit(engine.insert, max_rows=25, max_in_flight=1)
    first, rest = _behind_held_inserts(engine, commits, ["first"], 7)
    assert not any(f.exception() for f in [*first, *rest])
    groups = engine.inserts[1:]
    assert all(len(group) <= 2 for group in groups)  # 2 batches of 10 rows fit in 25, 3 do not
    assert sorted(item for group in groups for item in group) == sorted(f"b{i}" for i in range(7))


def test_a_batch_larger_than_max_rows_still_goes_in_alone() -> None:
    engine = _Engine()
    GroupCommit(engine.insert, max_rows=5).submit("big", 50)
    assert engine.inserts == [["big"]]


def test_a_failed_insert_fails_every_batch_in_it_and_only_those() -> None:
    engine = _Engine()
    commits = GroupCommit(engine.insert, max_rows=100, max_in_flight=1)
    engine.failing.add("b1")  # the insert of the three waiting batches together fails
    first, grouped = _behind_held_inserts(engine, commits, ["first"], 3)
    assert first[0].exception() is None
    for f in grouped:
        with pytest.raises(ConnectionError, match="store down"):
            f.result()
    commits.submit("later", 10)  # the committer is free again
    assert engine.inserts == [["first"], ["later"]]
    assert (commits.inserts, commits.batches) == (2, 2)


def test_concurrent_batches_over_grpc_land_in_fewer_inserts_and_all_are_stored(host, channel, world, key) -> None:  # noqa: ANN001
    """Six batches sent while the event store is busy: one insert for each of the two batches
    that found an insert slot free, one for the four that waited (merges are stopped, so each
    insert is one part)."""
    assert call(channel, key, [event(event_id="warm", external_id="ext-dist_a")]).accepted_count == 1
    pool = host.context.clickhouse
    count_parts = ("SELECT count() FROM system.parts "
                   "WHERE database = currentDatabase() AND table = 'events' AND active")
    with pool.client() as client:
        client.command("SYSTEM STOP MERGES events")
    try:
        with pool.client() as client:
            before = int(client.command(count_parts))
        with contextlib.ExitStack() as busy, ThreadPoolExecutor(6) as senders:
            for _ in range(host.context.settings.clickhouse_pool_size):  # every client lent out: the store is busy
                busy.enter_context(pool.client())
            sent = [senders.submit(call, channel, key,
                                   [event(event_id=f"g{b}-{i}", external_id="ext-dist_a") for i in range(20)])
                    for b in range(6)]
            time.sleep(2)  # every batch is decoded, resolved and waiting for the store
            assert not any(f.done() for f in sent)
            busy.close()
            assert all(f.result(_WAIT).accepted_count == 20 for f in sent)
        with pool.client() as client:
            assert int(client.command(count_parts)) - before == 3
    finally:
        with pool.client() as client:
            client.command("SYSTEM START MERGES events")
    ids = {row["event_id"] for row in stored(host, world.tenant_id)}
    assert {f"g{b}-{i}" for b in range(6) for i in range(20)} <= ids
