"""count: the number of matching events."""
from __future__ import annotations

from services.metrics.aggregations.base import AggregateExprs, Aggregation, FieldUse
from services.metrics.compiler.ast import Call
from services.metrics.compiler.spec import Path


def _build(_field: Path | None) -> AggregateExprs:
    return AggregateExprs(value=Call("count"))


AGGREGATION = Aggregation(name="count", description="Number of matching events.", field_use=FieldUse.FORBIDDEN,
                          additive=True, build=_build,
                          functions=frozenset({"count"}))
