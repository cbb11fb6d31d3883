"""Run one compiled statement on the event store and return its rows and what it read."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from libs.clickhouse import ClientPool
from libs.errors import Unavailable

__all__ = ["QueryResult", "run", "QUERY_SETTINGS"]

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
    return QueryResult(rows, time.perf_counter() - started)
