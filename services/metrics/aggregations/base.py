"""What an aggregation plugin provides: its field rule and the aggregate expressions it adds."""
from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from services.metrics.compiler.ast import Expr
from services.metrics.compiler.spec import Path

__all__ = ["Aggregation", "AggregateExprs", "FieldUse", "registry"]


class FieldUse(enum.Enum):
    """Whether the metric's payload field is required, optional or refused."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    FORBIDDEN = "forbidden"


@dataclass(frozen=True)
class AggregateExprs:
    """Aggregate expressions over the rows of a group: the value, and optionally how many rows
    were skipped (e.g. a summed field that was not a number)."""

    value: Expr
    skipped: Expr | None = None


@dataclass(frozen=True, kw_only=True)
class Aggregation:
    """An aggregation plugin.

    `additive` says the values of disjoint slices add up to the value of their union (count,
    sum; not unique): the breakdown then sums its "rest" row instead of querying it again.
    """

    name: str
    description: str
    field_use: FieldUse
    additive: bool
    build: Callable[[Path | None], AggregateExprs]
    # ClickHouse functions the built expressions call beyond the printer's own list.
    functions: frozenset[str] = frozenset()


def registry() -> dict[str, Aggregation]:
    """Every installed aggregation by name."""
    from libs.plugins import AGGREGATIONS, load_plugins

    return load_plugins(AGGREGATIONS)
