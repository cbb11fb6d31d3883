"""unique: distinct customers, or distinct values of a payload field.

Values compare as JSON values: strings by text, numbers by value (1 equals 1.0, -0 equals 0), booleans;
objects and arrays by their JSON text. Missing and null values are not counted.
"""
from __future__ import annotations

from services.metrics.aggregations.base import AggregateExprs, Aggregation, FieldUse
from services.metrics.compiler.ast import NUMBER_TYPES, Call, Column, Compare, Const, Expr, payload
from services.metrics.compiler.spec import Path


def _value_key(field: Path) -> Expr:
    """A text key per JSON value, tagged by type so that "1" (a string) and 1 (a number) differ."""
    kind = payload("JSONType", field)

    def tagged(tag: str, text: Expr) -> Expr:
        return Call("concat", (Const(tag, "String"), text))

    return Call("multiIf", (
        Compare("=", kind, Const("String", "String")), tagged("s:", payload("JSONExtractString", field)),
        Compare("IN", kind, Const(list(NUMBER_TYPES), "Array(String)")),
        # + 0 turns -0 into 0: equal numbers, one key (toString writes them "-0" and "0")
        tagged("n:", Call("toString", (Call("plus", (payload("JSONExtractFloat", field), Const(0.0, "Float64"))),))),
        Compare("=", kind, Const("Bool", "String")),
        tagged("b:", Call("toString", (payload("JSONExtractBool", field),))),
        tagged("j:", payload("JSONExtractRaw", field)),
    ))


def _build(field: Path | None) -> AggregateExprs:
    if field is None:
        return AggregateExprs(value=Call("uniqExact", (Column("customer_id"),)))
    present = Compare("!=", payload("JSONType", field), Const("Null", "String"))  # missing is 'Null' too
    return AggregateExprs(value=Call("uniqExactIf", (_value_key(field), present)))


AGGREGATION = Aggregation(name="unique", description="Distinct customers, or distinct values of a payload field.",
                          field_use=FieldUse.OPTIONAL, additive=False, build=_build,
                          functions=frozenset({"uniqExact", "uniqExactIf", "multiIf", "concat", "toString", "plus"}))
