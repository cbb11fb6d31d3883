"""Run one compiled statement on the event store and return its rows and what it read."""
from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from libs.clickhouse import ClientPool
from libs.errors import Unavailable

__all__ = ["QueryResult", "run", "QUERY_SETTINGS", "engine_timer", "ENGINE_TIME_KEY"]

# Trailing metadata key carrying the engine time of a query call, in ms (like Server-Timing):
# tells a slow answer's engine time apart from everything around it.
ENGINE_TIME_KEY = "x-partneros-engine-ms"
_ENGINE_SECONDS: ContextVar[list[float] | None] = ContextVar("partneros_engine_seconds", default=None)

log = logging.getLogger(__name__)

# Bounds every metric query: a runaway query fails instead of holding the engine.
QUERY_SETTINGS = {"max_execution_time": 60}


@dataclass(frozen=True)
class QueryResult:
    rows: list[dict[str, Any]]
    seconds: float


def run(pool: ClientPool, sql: str, params: dict[str, Any]) -> QueryResult:
    """Execute `sql` with server-side bound `params`."""
    from clickhouse_connect.driver.exceptions import OperationalError

    started = time.perf_counter()
    try:
        with pool.client() as client:
            result = client.query(sql, parameters=params, settings=QUERY_SETTINGS)
            rows = list(result.named_results())
    except OperationalError as exc:
        raise Unavailable(f"event store unavailable: {exc}", reason="EVENT_STORE_UNAVAILABLE") from exc
    seconds = time.perf_counter() - started
    spent = _ENGINE_SECONDS.get()
    if spent is not None:
        spent.append(seconds)
    return QueryResult(rows, seconds)


@contextlib.contextmanager
def engine_timer() -> Iterator[list[float]]:
    """Collect the engine time of every `run` inside the block (seconds, one entry per statement)."""
    spent: list[float] = []
    token = _ENGINE_SECONDS.set(spent)
    try:
        yield spent
    finally:
        _ENGINE_SECONDS.reset(token)
