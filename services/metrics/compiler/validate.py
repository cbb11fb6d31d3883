"""Stage 1: validate what the caller wrote. Errors are INVALID_ARGUMENT naming the field.

Checks shape only (paths, operators, values, aggregation names and their field rule); what
depends on the caller or the clock is checked by `resolve`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from libs.errors import InvalidArgument
from services.metrics.compiler.spec import FilterSpec, MetricSpec, Op, Path, Scalar, ValidFilter, ValidMetric

__all__ = [
    "validate_metric", "validate_filters", "validate_filter_groups", "validate_event_names", "parse_path",
    "LIMITS",
]

LIMITS = {
    "path_chars": 512, "path_keys": 16, "event_names": 100, "event_name_chars": 200,
    "groups": 20, "filters_per_group": 50, "in_values": 1000, "value_chars": 10_000,
}
_SINGLE_ANY = {Op.EQUALS, Op.NOT_EQUALS}
_LIST = {Op.IN, Op.NOT_IN}
_NUMERIC = {Op.GREATER, Op.GREATER_OR_EQUAL, Op.LESS, Op.LESS_OR_EQUAL}
_NO_VALUE = {Op.EXISTS, Op.NOT_EXISTS}


def _bad(message: str, field: str, reason: str = "INVALID_ARGUMENT") -> InvalidArgument:
    return InvalidArgument(f"{field}: {message}", reason=reason, field=field)


def _has_control(text: str) -> bool:
    return any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text)


def parse_path(text: str, field: str) -> Path:
    """'plan.tier' -> ('plan', 'tier'). Keys may hold any character but '.' and control characters."""
    if not text:
        raise _bad("a payload path is required", field, "INVALID_PATH")
    if len(text) > LIMITS["path_chars"] or _has_control(text):
        raise _bad("payload path is too long or holds control characters", field, "INVALID_PATH")
    keys = tuple(text.split("."))
    if any(not key for key in keys):
        raise _bad(f"malformed payload path {text!r}: empty key", field, "INVALID_PATH")
    if len(keys) > LIMITS["path_keys"]:
        raise _bad(f"payload path is deeper than {LIMITS['path_keys']} keys", field, "INVALID_PATH")
    return keys


def _scalar(value: object, field: str) -> Scalar:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise _bad("numbers must be finite", field, "INVALID_FILTER_VALUE")
        return float(value)
    if isinstance(value, str):
        if len(value) > LIMITS["value_chars"]:
            raise _bad("string value too long", field, "INVALID_FILTER_VALUE")
        return value
    raise _bad("filter values must be strings, numbers, booleans or null", field, "INVALID_FILTER_VALUE")


def validate_filter(spec: FilterSpec, field: str) -> ValidFilter:
    """One filter: known operator, path well formed, values of the kind and number the operator takes."""
    path = parse_path(spec.path, f"{field}.path")
    try:
        op = Op(spec.operator)
    except ValueError:
        raise _bad("filter operator is missing or unknown", f"{field}.operator", "INVALID_FILTER") from None
    vfield = f"{field}.values"
    values = tuple(_scalar(v, f"{vfield}[{i}]") for i, v in enumerate(spec.values))
    if op in _NO_VALUE and values:
        raise _bad(f"{op.name} takes no value", vfield, "INVALID_FILTER")
    if (op in _SINGLE_ANY or op in _NUMERIC or op is Op.CONTAINS) and len(values) != 1:
        raise _bad(f"{op.name} takes exactly one value", vfield, "INVALID_FILTER")
    if op in _LIST and not 1 <= len(values) <= LIMITS["in_values"]:
        raise _bad(f"{op.name} takes 1 to {LIMITS['in_values']} values", vfield, "INVALID_FILTER")
    if op in _NUMERIC and (isinstance(values[0], bool) or not isinstance(values[0], float)):
        raise _bad(f"{op.name} compares with a number", vfield, "INVALID_FILTER_VALUE")
    if op is Op.CONTAINS and not isinstance(values[0], str):
        raise _bad("CONTAINS looks for a string", vfield, "INVALID_FILTER_VALUE")
    return ValidFilter(path, op, values)


def validate_filters(filters: Sequence[FilterSpec], field: str) -> tuple[ValidFilter, ...]:
    """A conjunction of filters (`field` names the list, e.g. 'filters')."""
    if len(filters) > LIMITS["filters_per_group"]:
        raise _bad(f"at most {LIMITS['filters_per_group']} filters", field, "TOO_MANY_FILTERS")
    return tuple(validate_filter(f, f"{field}[{i}]") for i, f in enumerate(filters))


def validate_filter_groups(groups: Sequence[Sequence[FilterSpec]], field: str) -> tuple[tuple[ValidFilter, ...], ...]:
    """OR-ed groups of AND-ed filters; an empty group would match everything, so it is refused."""
    if len(groups) > LIMITS["groups"]:
        raise _bad(f"at most {LIMITS['groups']} filter groups", field, "TOO_MANY_FILTERS")
    out = []
    for i, group in enumerate(groups):
        if not group:
            raise _bad("a filter group needs at least one filter", f"{field}[{i}].filters", "INVALID_FILTER")
        out.append(validate_filters(group, f"{field}[{i}].filters"))
    return tuple(out)


def validate_event_names(names: Sequence[str], field: str) -> tuple[str, ...]:
    """Event names: non-empty, bounded, no control characters; duplicates dropped, order kept."""
    if len(names) > LIMITS["event_names"]:
        raise _bad(f"at most {LIMITS['event_names']} event names", field, "TOO_MANY_EVENT_NAMES")
    for i, name in enumerate(names):
        if not name or len(name) > LIMITS["event_name_chars"] or _has_control(name):
            raise _bad("event names are 1 to 200 printable characters", f"{field}[{i}]", "INVALID_EVENT_NAME")
    return tuple(dict.fromkeys(names))


def validate_metric(spec: MetricSpec, aggregations: Mapping[str, object], prefix: str = "metric") -> ValidMetric:
    """The compile-relevant part of a definition; `aggregations` maps plugin name -> Aggregation."""
    from services.metrics.aggregations.base import FieldUse

    plugin = aggregations.get(spec.aggregation)
    if plugin is None:
        known = ", ".join(sorted(aggregations)) or "none installed"
        raise _bad(f"unknown aggregation {spec.aggregation!r} (known: {known})", f"{prefix}.aggregation",
                   "UNKNOWN_AGGREGATION")
    use = plugin.field_use  # type: ignore[attr-defined]
    path: Path | None = None
    if spec.field:
        if use is FieldUse.FORBIDDEN:
            raise _bad(f"{spec.aggregation} takes no field", f"{prefix}.field", "FIELD_NOT_ALLOWED")
        path = parse_path(spec.field, f"{prefix}.field")
    elif use is FieldUse.REQUIRED:
        raise _bad(f"{spec.aggregation} needs a numeric payload field", f"{prefix}.field", "FIELD_REQUIRED")
    return ValidMetric(
        aggregation=spec.aggregation,
        event_names=validate_event_names(spec.event_names, f"{prefix}.event_names"),
        field=path,
        filter_groups=validate_filter_groups(spec.filter_groups, f"{prefix}.filter_groups"),
    )
