"""Read the rows of a metric query back into values: total, previous, buckets, per partner."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from services.metrics.compiler.resolve import MetricPlan

__all__ = ["MetricAnswer", "read_answer", "bucket_key"]

log = logging.getLogger(__name__)


@dataclass
class MetricAnswer:
    value: float = 0.0
    previous: float = 0.0
    skipped: int = 0
    buckets: list[tuple[dt.datetime, float]] = field(default_factory=list)
    partners: dict[str, float] = field(default_factory=dict)


def bucket_key(raw: Any) -> Any:
    """Normalise a bucket key from the engine (date or UNIX seconds) to windows.bucket_starts' form."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    return int(raw) if not isinstance(raw, dt.date) else raw


def read_answer(plan: MetricPlan, rows: list[dict[str, Any]]) -> MetricAnswer:
    """Sort the GROUPING SETS rows: `grouping_set` has one bit per dimension (bucket, partner),
    most significant first, set when that dimension is not part of the row's set."""
    dims = [d for d, on in (("bucket", bool(plan.grain)), ("partner", plan.breakdown)) if on]
    bit = {d: 1 << (len(dims) - 1 - i) for i, d in enumerate(dims)}
    out = MetricAnswer()
    by_bucket: dict[Any, float] = {}
    for row in rows:
        current = bool(row.get("is_current", True))
        mask = int(row.get("grouping_set", 0))
        grouped_by = {d for d in dims if not mask & bit[d]}
        value = float(row["value"])
        if not grouped_by:  # the total of its period
            if current:
                out.value, out.skipped = value, int(row.get("skipped", 0) or 0)
            else:
                out.previous = value
        elif not current:  # buckets and partners of the previous period are not reported
            continue
        elif "bucket" in grouped_by:
            by_bucket[bucket_key(row["bucket"])] = value
        else:
            out.partners[row["partner"]] = value
    out.buckets = [(start, by_bucket.pop(key, 0.0)) for key, start in plan.buckets]
    if by_bucket:  # the engine's zone rules disagree with ours: say so rather than hide it
        log.warning("bucket keys outside the planned buckets (%s): %s", plan.time_zone, sorted(by_bucket)[:5])
    return out
