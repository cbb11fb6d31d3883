"""sum: the total of a numeric payload field; events whose field is not a JSON number (missing,
null, a string, a boolean, an object) are skipped and counted as skipped."""
from __future__ import annotations

from services.metrics.aggregations.base import AggregateExprs, Aggregation, FieldUse
from services.metrics.compiler.ast import NUMBER_TYPES, Call, Compare, Const, Not, payload
from services.metrics.compiler.spec import Path


def _build(field: Path | None) -> AggregateExprs:
    assert field is not None  # FieldUse.REQUIRED, checked by validate
    is_number = Compare("IN", payload("JSONType", field), Const(list(NUMBER_TYPES), "Array(String)"))
    return AggregateExprs(
        value=Call("sumIf", (payload("JSONExtractFloat", field), is_number)),
        skipped=Call("countIf", (Not(is_number),)),
    )


AGGREGATION = Aggregation(name="sum", description="Total of a numeric payload field.", field_use=FieldUse.REQUIRED,
                          additive=True, build=_build,
                          functions=frozenset({"sumIf", "countIf"}))
