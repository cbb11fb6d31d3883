"""The in-process dedupe lock is per event id: one tenant's batches wait for each other only
where they share an id, and a batch holds all of its ids or none."""
from __future__ import annotations

import random
import threading

import pytest

from services.ingest.locks import DedupeLocks


def _in_thread(target) -> tuple[threading.Thread, threading.Event]:  # noqa: ANN001
    done = threading.Event()

    def run() -> None:
        target()
        done.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, done


def test_batches_with_different_ids_hold_their_locks_at_once() -> None:
    locks = DedupeLocks()
    rnd = random.Random(5)
    keys = [rnd.getrandbits(64) for _ in range(2000)]  # two batches of 1000 ids, as sent
    first = locks.acquire("ten_a", keys[:1000])
    _, done = _in_thread(lambda: locks.acquire("ten_a", keys[1000:]).release())
    assert done.wait(5), "a batch with other ids waited for the first"
    first.release()


def test_a_shared_id_waits_until_the_holder_releases() -> None:
    locks = DedupeLocks()
    first = locks.acquire("ten_a", [1, 2, 3])
    second = []
    _, done = _in_thread(lambda: second.append(locks.acquire("ten_a", [3, 9])))
    assert not done.wait(0.3), "a batch sharing an id did not wait"
    first.release()
    assert done.wait(5)
    # it holds all of its ids now, including the one that was free all along
    _, blocked = _in_thread(lambda: locks.acquire("ten_a", [9]).release())
    assert not blocked.wait(0.3)
    second[0].release()
    assert blocked.wait(5)


def test_the_same_ids_of_two_tenants_do_not_wait_for_each_other() -> None:
    locks = DedupeLocks()
    held = locks.acquire("ten_a", [1, 2])
    _, done = _in_thread(lambda: locks.acquire("ten_b", [1, 2]).release())
    assert done.wait(5)
    held.release()


def test_extend_takes_free_ids_and_refuses_held_ones_without_waiting() -> None:
    locks = DedupeLocks()
    mine, other = locks.acquire("ten_a", [1]), locks.acquire("ten_a", [2])
    assert mine.extend([3]) and mine.keys == {1, 3}
    assert not mine.extend([2, 4]) and mine.keys == {1, 3}  # nothing of a refused extension is taken
    assert other.extend([4])
    other.release()
    mine.release()
    again = locks.acquire("ten_a", [1, 2, 3, 4])  # everything was given back
    again.release()
    again.release()  # idempotent


@pytest.mark.postgres
def test_on_postgresql_ids_found_late_are_held_across_processes(postgres_url: str) -> None:
    """Two DedupeLocks on one PostgreSQL store stand for two ingest processes. A batch that held
    no id at first (its events carry none: content-derived ids are found later) must not take
    them in-process only; it starts over, waiting for the advisory locks."""
    from libs.store import make_engine

    engine = make_engine(postgres_url)
    try:
        here, there = DedupeLocks(engine), DedupeLocks(engine)
        late = here.acquire("ten_pg", [])
        assert not late.extend([42])  # no advisory lock covers it: refused
        late.release()
        first = here.acquire("ten_pg", [42])
        _, done = _in_thread(lambda: there.acquire("ten_pg", [42]).release())
        assert not done.wait(0.5), "the other process took an id held here"
        first.release()
        assert done.wait(10)
    finally:
        engine.dispose()


def test_many_waiters_of_two_tenants_all_get_their_ids() -> None:
    """Batches queue over shared ids in two tenants at once (a release wakes only its own
    tenant's waiters); each gets its ids in the end, and nothing is left held."""
    locks = DedupeLocks()
    got: list[tuple[str, int]] = []
    guard = threading.Lock()

    def batch(tenant: str, i: int) -> None:
        held = locks.acquire(tenant, [1, 2, i + 10])  # every batch shares ids 1 and 2 with the others
        with guard:
            got.append((tenant, i))
        held.release()

    threads = [threading.Thread(target=batch, args=(t, i)) for i in range(20) for t in ("ten_a", "ten_b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(got) == sorted((t, i) for i in range(20) for t in ("ten_a", "ten_b"))
    _, free = _in_thread(lambda: locks.acquire("ten_a", [1, 2]).release())  # nothing is left held
    assert free.wait(5)
