"""Metric definitions: the editable fields, their checks, and their proto and JSON forms."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from google.protobuf import struct_pb2
from google.protobuf.json_format import MessageToDict
from partneros.common.v1 import filter_pb2
from partneros.metrics.v1 import metrics_pb2

from libs.errors import InvalidArgument
from services.metrics.compiler.spec import FilterSpec, MetricSpec, Op, ValidMetric
from services.metrics.compiler.validate import validate_metric

__all__ = [
    "MetricDefinition", "EDITABLE_FIELDS", "FORMATS", "validate_definition", "definition_from_proto",
    "filters_from_proto", "groups_from_proto", "groups_to_json", "groups_from_json", "to_proto", "apply_mask",
]

EDITABLE_FIELDS = ("name", "description", "aggregation", "event_names", "field", "filter_groups", "unit", "format")
# Display hints the UI knows; empty means "number".
FORMATS = frozenset({"", "number", "integer", "currency", "percent"})


@dataclass(frozen=True)
class MetricDefinition:
    """Everything an operator writes when defining a metric."""

    name: str
    aggregation: str
    description: str = ""
    event_names: tuple[str, ...] = ()
    field: str = ""
    filter_groups: tuple[tuple[FilterSpec, ...], ...] = ()
    unit: str = ""
    format: str = ""

    def spec(self) -> MetricSpec:
        return MetricSpec(self.aggregation, self.event_names, self.field, self.filter_groups)


def _text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    if required and not value.strip():
        raise InvalidArgument(f"{field} is required", reason="FIELD_REQUIRED", field=field)
    if len(value) > limit or any(ord(c) < 0x20 and c not in "\n\t" for c in value):
        raise InvalidArgument(f"{field}: at most {limit} printable characters", reason="INVALID_TEXT", field=field)
    return value.strip() if required else value


def validate_definition(d: MetricDefinition, aggregations: Mapping[str, object],
                        prefix: str = "metric") -> tuple[MetricDefinition, ValidMetric]:
    """The definition tidied (name trimmed, duplicate event names dropped) and its compiled form."""
    name = _text(d.name, f"{prefix}.name", 200, required=True)
    _text(d.description, f"{prefix}.description", 2000)
    _text(d.unit, f"{prefix}.unit", 64)
    if d.format not in FORMATS:
        raise InvalidArgument(f"{prefix}.format must be one of {sorted(f for f in FORMATS if f)}",
                              reason="INVALID_FORMAT", field=f"{prefix}.format")
    valid = validate_metric(d.spec(), aggregations, prefix)
    return dataclasses.replace(d, name=name, event_names=valid.event_names), valid


def _value(v: struct_pb2.Value) -> object:
    kind = v.WhichOneof("kind")
    if kind in (None, "null_value"):
        return None
    if kind in ("struct_value", "list_value"):
        return MessageToDict(v)
    return getattr(v, kind)


def filters_from_proto(filters: Iterable[filter_pb2.PropertyFilter]) -> tuple[FilterSpec, ...]:
    return tuple(FilterSpec(f.path, int(f.operator), tuple(_value(v) for v in f.values)) for f in filters)


def groups_from_proto(groups: Iterable[filter_pb2.FilterGroup]) -> tuple[tuple[FilterSpec, ...], ...]:
    return tuple(filters_from_proto(g.filters) for g in groups)


def definition_from_proto(m: metrics_pb2.Metric) -> MetricDefinition:
    return MetricDefinition(name=m.name, aggregation=m.aggregation, description=m.description,
                            event_names=tuple(m.event_names), field=m.field,
                            filter_groups=groups_from_proto(m.filter_groups), unit=m.unit, format=m.format)


def groups_to_json(groups: tuple[tuple[FilterSpec, ...], ...]) -> str:
    """Stored form; operators by name so the JSON reads on its own."""
    return json.dumps([[{"path": f.path, "operator": Op(f.operator).name, "values": list(f.values)} for f in g]
                       for g in groups], ensure_ascii=False)


def groups_from_json(text: str) -> tuple[tuple[FilterSpec, ...], ...]:
    return tuple(tuple(FilterSpec(f["path"], int(Op[f["operator"]]), tuple(f["values"])) for f in g)
                 for g in json.loads(text or "[]"))


def _pb_value(value: object) -> struct_pb2.Value:
    out = struct_pb2.Value()
    if value is None:
        out.null_value = struct_pb2.NULL_VALUE
    elif isinstance(value, bool):
        out.bool_value = value
    elif isinstance(value, (int, float)):
        out.number_value = float(value)
    else:
        out.string_value = str(value)
    return out


def _utc(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.timezone.utc)


def to_proto(metric_id: str, d: MetricDefinition, version: int, create_time: dt.datetime,
             update_time: dt.datetime) -> metrics_pb2.Metric:
    m = metrics_pb2.Metric(id=metric_id, name=d.name, description=d.description, aggregation=d.aggregation,
                           event_names=list(d.event_names), field=d.field, unit=d.unit, format=d.format,
                           version=version)
    for group in d.filter_groups:
        g = m.filter_groups.add()
        for f in group:
            g.filters.add(path=f.path, operator=f.operator, values=[_pb_value(v) for v in f.values])
    m.create_time.FromDatetime(_utc(create_time))
    m.update_time.FromDatetime(_utc(update_time))
    return m


def apply_mask(current: MetricDefinition, incoming: MetricDefinition, paths: Iterable[str]) -> MetricDefinition:
    """`current` with the masked fields taken from `incoming` (no paths: every editable field)."""
    paths = list(paths) or list(EDITABLE_FIELDS)
    unknown = [p for p in paths if p not in EDITABLE_FIELDS]
    if unknown:
        raise InvalidArgument(f"update_mask names fields that cannot be updated: {unknown}",
                              reason="INVALID_UPDATE_MASK", field="update_mask")
    return dataclasses.replace(current, **{p: getattr(incoming, p) for p in paths})
