"""An independent model of what a metric query must answer, for the correctness test.

Written apart from the service: payload semantics in plain Python, calendar arithmetic in
pandas, aggregation in DuckDB. It shares no code with services.metrics.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

_MISSING = object()
DAY, WEEK, MONTH, QUARTER = 1, 2, 3, 4          # common.v1.Period
CURRENT, LAST, TRAILING, RANGE = 1, 2, 3, 4     # common.v1.WindowMode
G_HOUR, G_DAY, G_WEEK, G_MONTH, G_QUARTER = 1, 2, 3, 4, 5  # common.v1.Grain
_GRAIN_PERIOD = {G_DAY: DAY, G_WEEK: WEEK, G_MONTH: MONTH, G_QUARTER: QUARTER}


# ---- payload semantics -------------------------------------------------------------------------
def lookup(props: Any, path: str) -> Any:
    node = props
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return _MISSING
        node = node[key]
    return node


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _same(v: Any, target: Any) -> bool:
    if target is None:
        return v is None
    if isinstance(target, bool):
        return isinstance(v, bool) and v == target
    if isinstance(target, (int, float)):
        return is_number(v) and float(v) == float(target)
    return isinstance(v, str) and v == target


def matches(props: Any, f: dict) -> bool:
    """f = {"path", "op" (name), "values"}."""
    v = lookup(props, f["path"])
    found = v is not _MISSING
    op, values = f["op"], f["values"]
    if op in ("EQUALS", "IN"):
        return found and any(_same(v, t) for t in values)
    if op in ("NOT_EQUALS", "NOT_IN"):
        return not (found and any(_same(v, t) for t in values))
    if op in ("GREATER", "GREATER_OR_EQUAL", "LESS", "LESS_OR_EQUAL"):
        if not (found and is_number(v)):
            return False
        t = values[0]
        return {"GREATER": v > t, "GREATER_OR_EQUAL": v >= t, "LESS": v < t, "LESS_OR_EQUAL": v <= t}[op]
    if op == "CONTAINS":
        return found and isinstance(v, str) and values[0] in v
    if op == "EXISTS":
        return found
    if op == "NOT_EXISTS":
        return not found
    raise ValueError(op)


def value_key(props: Any, path: str) -> Any:
    """Distinct-value identity: typed, numbers by value, null/missing excluded (None)."""
    v = lookup(props, path)
    if v is _MISSING or v is None:
        return None
    if isinstance(v, bool):
        return f"b{v}"
    if is_number(v):
        return f"n{float(v)!r}"
    if isinstance(v, str):
        return "s" + v
    return "j" + json.dumps(v, sort_keys=True)


# ---- calendar ----------------------------------------------------------------------------------
def _floor(local: pd.Timestamp, period: int, week_start: int) -> pd.Timestamp:
    d = local.normalize()
    if period == DAY:
        return d
    if period == WEEK:
        return d - pd.Timedelta(days=(d.day_of_week + 1 - week_start) % 7)
    if period == MONTH:
        return d.replace(day=1)
    return d.replace(month=(d.month - 1) // 3 * 3 + 1, day=1)


def _shift(d: pd.Timestamp, period: int, n: int) -> pd.Timestamp:
    if period == DAY:
        return d + pd.Timedelta(days=n)
    if period == WEEK:
        return d + pd.Timedelta(days=7 * n)
    return d + pd.DateOffset(months=n * (1 if period == MONTH else 3))


def _utc(naive_local: pd.Timestamp, tz: str) -> pd.Timestamp:
    return naive_local.tz_localize(tz, nonexistent="shift_forward", ambiguous=False).tz_convert("UTC")


def _local(instant: pd.Timestamp, tz: str) -> pd.Timestamp:
    return instant.tz_convert(tz).tz_localize(None)


@dataclass(frozen=True)
class Window:
    period: int = 0
    mode: int = 0
    count: int = 0
    start: dt.datetime | None = None
    end: dt.datetime | None = None


def window_edges(w: Window, as_of: pd.Timestamp, tz: str, ws: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    if w.mode == RANGE:
        return pd.Timestamp(w.start), pd.Timestamp(w.end)
    period = w.period or MONTH
    f = _floor(_local(as_of, tz), period, ws)
    if (w.mode or CURRENT) == CURRENT:
        return _utc(f, tz), as_of
    n = w.count if w.mode == TRAILING else 1
    return _utc(_shift(f, period, -n), tz), _utc(f, tz)


def previous_edges(w: Window, start: pd.Timestamp, end: pd.Timestamp, as_of: pd.Timestamp, tz: str,
                   ws: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    if w.mode == RANGE:
        return start - (end - start), start
    period = w.period or MONTH
    n = w.count if w.mode == TRAILING else 1
    first = _floor(_local(start, tz), period, ws)
    prev_first = _shift(first, period, -n)
    if (w.mode or CURRENT) != CURRENT:
        return _utc(prev_first, tz), start
    local_now = _local(as_of, tz)
    point = prev_first + (local_now.normalize() - first) + (local_now - local_now.normalize())
    return _utc(prev_first, tz), min(_utc(point, tz), start)


def bucket_of(ts: pd.Series, grain: int, tz: str, ws: int) -> pd.Series:
    """UTC start of each event's bucket."""
    if grain == G_HOUR:
        local = ts.dt.tz_convert(tz)
        offset = pd.to_timedelta([t.utcoffset() for t in local])
        naive = ts.dt.tz_localize(None) + offset
        return (naive.dt.floor("h") - offset).dt.tz_localize("UTC")
    period = _GRAIN_PERIOD[grain]
    return ts.map(lambda t: _utc(_floor(_local(t, tz), period, ws), tz))


def bucket_list(start: pd.Timestamp, end: pd.Timestamp, grain: int, tz: str, ws: int) -> list[pd.Timestamp]:
    if grain == G_HOUR:
        first = bucket_of(pd.Series([start]), G_HOUR, tz, ws)[0]
        return list(pd.date_range(first, end - pd.Timedelta(microseconds=1), freq="h"))
    period = _GRAIN_PERIOD[grain]
    out, d = [], _floor(_local(start, tz), period, ws)
    while (b := _utc(d, tz)) < end:
        out.append(b)
        d = _shift(d, period, 1)
    return out


# ---- aggregation -------------------------------------------------------------------------------
_MEASURES = {
    "count": "count(*)",
    "sum": "coalesce(sum(num), 0)",
    "unique_customers": "count(DISTINCT customer)",
    "unique_values": "count(DISTINCT vkey)",
}


class EventStore:
    """The generated events in DuckDB, one table per (tenant, metric): payload rules and bucket
    edges are computed once per event in Python; every query is then aggregated in SQL."""

    def __init__(self) -> None:
        self.con = duckdb.connect(config={"threads": 1})

    def load(self, table: str, frame: pd.DataFrame) -> None:
        """frame: ts_ms, partner, customer, num, vkey and one bucket column per (zone, grain)."""
        self.con.register("incoming", frame)
        self.con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM incoming")
        self.con.unregister("incoming")

    def aggregate(self, table: str, kind: str, start_ms: int, end_ms: int, partners: list[str],
                  customer: str | None = None, by: str | None = None) -> dict[Any, tuple[float, int]]:
        """{group: (value, rows whose num is NULL)} over [start, end) at the partners (and customer)."""
        where = "ts_ms >= $1 AND ts_ms < $2 AND list_contains($3, partner)" + (" AND customer = $4" if customer else "")
        sql = (f"SELECT {by or '0'} AS g, {_MEASURES[kind]} AS v, count(*) FILTER (WHERE num IS NULL) AS s "
               f"FROM {table} WHERE {where} GROUP BY 1")
        params: list[Any] = [start_ms, end_ms, partners] + ([customer] if customer else [])
        return {g: (float(v), int(s)) for g, v, s in self.con.execute(sql, params).fetchall()}
