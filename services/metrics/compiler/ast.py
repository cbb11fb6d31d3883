"""The query tree the builder makes and the printer prints. Small on purpose.

Constants are `Const` nodes: the printer turns each into a bound parameter, never into text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

__all__ = [
    "Column", "Const", "Ref", "Call", "Compare", "And", "Or", "Not", "Alias", "OrderBy", "Select", "Expr",
    "payload", "COMPARISONS", "NUMBER_TYPES",
]

# JSONType names of the JSON numbers.
NUMBER_TYPES = ("Int64", "UInt64", "Double")
COMPARISONS = frozenset({"=", "!=", "<", "<=", ">", ">=", "IN", "NOT IN"})


@dataclass(frozen=True)
class Column:
    """A column of the table queried."""

    name: str


@dataclass(frozen=True)
class Const:
    """A value, bound as a parameter of ClickHouse type `type`."""

    value: object
    type: str


@dataclass(frozen=True)
class Ref:
    """A reference to a column alias of the same SELECT."""

    alias: str


@dataclass(frozen=True)
class Call:
    """A ClickHouse function call (the printer allows known functions only)."""

    name: str
    args: tuple["Expr", ...] = ()


@dataclass(frozen=True)
class Compare:
    """A binary comparison; `op` is one of COMPARISONS."""

    op: str
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class And:
    items: tuple["Expr", ...]


@dataclass(frozen=True)
class Or:
    items: tuple["Expr", ...]


@dataclass(frozen=True)
class Not:
    item: "Expr"


Expr = Union[Column, Const, Ref, Call, Compare, And, Or, Not]


@dataclass(frozen=True)
class Alias:
    """A selected expression and its name."""

    expr: Expr
    name: str


@dataclass(frozen=True)
class OrderBy:
    expr: Expr
    descending: bool = False


@dataclass(frozen=True)
class Select:
    """One SELECT over one table. `where` holds the caller's conditions only: the printer
    prepends the tenant and scope guard, which no builder can leave out."""

    table: str
    columns: tuple[Alias, ...]
    where: Expr | None = None
    # Grouping sets, each a tuple of grouping expressions; one set prints as a plain GROUP BY.
    group_by: tuple[tuple[Expr, ...], ...] = ()
    order_by: tuple[OrderBy, ...] = ()
    limit: int | None = None
    # Functions an aggregation plugin declared for its expressions, allowed on top of the printer's.
    functions: frozenset[str] = frozenset()


def payload(function: str, path: tuple[str, ...], payload_column: str = "properties") -> Call:
    """`function(properties, k1, k2, ...)`: a JSON function applied at a payload path."""
    return Call(function, (Column(payload_column), *(Const(key, "String") for key in path)))
