"""Group commit: a few inserts in flight per process at most, and the batches that arrive while
all of them are busy go into the next insert together.

An insert costs the engine nearly the same for 1 row as for 1000 (it creates a part of the
events table and one of its index, then merges them away), so concurrent senders are served
best by fewer, larger inserts: ClickHouse's own advice, and what its asynchronous inserts do on
the server. Here it happens in the rail, where durability stays per call: a batch is
acknowledged only once the insert that holds it is confirmed, and if that insert fails, every
batch in it fails UNAVAILABLE (none of them is acknowledged; the retry finds what landed).

A lone sender pays nothing: with an insert slot free, its batch is inserted at once, and so are
two concurrent senders' with two slots (the engine inserts them side by side). Batches that wait
are taken in arrival order, up to `max_rows` per insert; the first waiter to find a slot free
inserts for all of them (leader and followers: no extra thread).
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

__all__ = ["GroupCommit"]

T = TypeVar("T")


class _Waiting(Generic[T]):
    __slots__ = ("item", "rows", "taken", "done", "error")

    def __init__(self, item: T, rows: int) -> None:
        self.item, self.rows = item, rows
        self.taken = False  # in an insert (another submitter's, perhaps) that has not returned yet
        self.done = False
        self.error: BaseException | None = None


class GroupCommit(Generic[T]):
    """`submit(item, rows)` returns once `insert([..., item, ...])` has returned, or raises
    what that insert raised. Thread-safe; `insert` runs on at most `max_in_flight` submitters'
    threads at a time."""

    def __init__(self, insert: Callable[[Sequence[T]], None], max_rows: int, max_in_flight: int = 2) -> None:
        self._insert = insert
        self._max_rows = max_rows
        self._max_in_flight = max_in_flight
        self._changed = threading.Condition()
        self._queue: list[_Waiting[T]] = []
        self._in_flight = 0  # inserts running
        self.inserts = 0  # inserts made (not counting failed ones)
        self.batches = 0  # batches they held

    def submit(self, item: T, rows: int) -> None:
        mine = _Waiting(item, rows)
        with self._changed:
            self._queue.append(mine)
        while True:
            with self._changed:
                # Wait while this batch rides in another's insert, or no slot is free: a batch
                # already taken must not lead an insert of whatever is left (maybe nothing).
                while not mine.done and (mine.taken or self._in_flight >= self._max_in_flight):
                    self._changed.wait()
                if mine.done:
                    if mine.error is not None:
                        raise mine.error
                    return
                group = self._take()  # a slot is free: insert for the oldest waiting (this one among them, or next)
                self._in_flight += 1
            self._run(group)

    def _run(self, group: list[_Waiting[T]]) -> None:
        error: BaseException | None = None
        try:
            self._insert([waiting.item for waiting in group])
        except BaseException as exc:  # noqa: BLE001 - handed to every batch of the group, raised by each
            error = exc
        with self._changed:
            for waiting in group:
                waiting.done, waiting.error = True, error
            self._in_flight -= 1
            if error is None:
                self.inserts += 1
                self.batches += len(group)
            self._changed.notify_all()

    def _take(self) -> list[_Waiting[T]]:
        """The waiting batches, oldest first, up to max_rows (at least one); called with the lock."""
        count, rows = 0, 0
        for waiting in self._queue:
            if count and rows + waiting.rows > self._max_rows:
                break
            count, rows = count + 1, rows + waiting.rows
        group, self._queue[:count] = self._queue[:count], []
        for waiting in group:
            waiting.taken = True
        return group
