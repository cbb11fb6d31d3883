"""What the compiler reads: a metric's compile-relevant parts, raw and validated.

Raw specs mirror the API (strings, operator numbers, JSON values); validated ones carry parsed
payload paths and checked values, so later stages never re-check user input.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Op", "FilterSpec", "MetricSpec", "Path", "ValidFilter", "ValidMetric", "Scalar"]

# A payload path: the keys from the properties object down to the value, e.g. ("plan", "tier").
Path = tuple[str, ...]
# A filter value: a JSON scalar.
Scalar = str | float | bool | None


class Op(enum.IntEnum):
    """Filter operators; the numbers are those of partneros.common.v1.FilterOperator."""

    EQUALS = 1
    NOT_EQUALS = 2
    IN = 3
    NOT_IN = 4
    GREATER = 5
    GREATER_OR_EQUAL = 6
    LESS = 7
    LESS_OR_EQUAL = 8
    CONTAINS = 9
    EXISTS = 10
    NOT_EXISTS = 11


@dataclass(frozen=True)
class FilterSpec:
    """A property filter as the caller wrote it."""

    path: str
    operator: int
    values: tuple[object, ...] = ()


@dataclass(frozen=True)
class MetricSpec:
    """The parts of a metric definition that decide its SQL."""

    aggregation: str
    event_names: tuple[str, ...] = ()
    field: str = ""
    filter_groups: tuple[tuple[FilterSpec, ...], ...] = ()


@dataclass(frozen=True)
class ValidFilter:
    """A checked filter: parsed path, known operator, values of the right kind and number."""

    path: Path
    op: Op
    values: tuple[Scalar, ...] = ()


@dataclass(frozen=True)
class ValidMetric:
    """A checked metric: its aggregation exists, its field and filters are well formed."""

    aggregation: str
    event_names: tuple[str, ...] = ()
    field: Path | None = None
    # OR of groups, each an AND of filters; empty means no filter.
    filter_groups: tuple[tuple[ValidFilter, ...], ...] = ()
