"""Stage 1, validate: malformed definitions are INVALID_ARGUMENT naming the offending field."""
from __future__ import annotations

import math

import pytest

from libs.errors import InvalidArgument
from services.metrics.aggregations import registry
from services.metrics.compiler.spec import FilterSpec as F
from services.metrics.compiler.spec import MetricSpec, Op
from services.metrics.compiler.validate import parse_path, validate_event_names, validate_filters, validate_metric
from services.metrics.definitions import MetricDefinition, validate_definition

AGGS = registry()


def _error(fn, *args) -> InvalidArgument:  # noqa: ANN001
    with pytest.raises(InvalidArgument) as err:
        fn(*args)
    return err.value


def test_a_valid_definition_parses_paths_and_typed_values() -> None:
    spec = MetricSpec("sum", ("purchase", "purchase", "refund"), "amount.eur", (
        (F("plan.tier", Op.IN, ("enterprise", "pro")), F("seats", Op.GREATER_OR_EQUAL, (5,))),
        (F("trial", Op.EQUALS, (True,)), F("coupon", Op.NOT_EXISTS)),
    ))
    valid = validate_metric(spec, AGGS)
    assert valid.field == ("amount", "eur")
    assert valid.event_names == ("purchase", "refund")  # duplicates dropped, order kept
    assert valid.filter_groups[0][0].path == ("plan", "tier")
    assert valid.filter_groups[0][1].values == (5.0,)
    assert valid.filter_groups[1][0].values == (True,)  # a boolean stays a boolean, not 1.0


@pytest.mark.parametrize("spec, field, reason", [
    (MetricSpec("median"), "metric.aggregation", "UNKNOWN_AGGREGATION"),
    (MetricSpec(""), "metric.aggregation", "UNKNOWN_AGGREGATION"),
    (MetricSpec("sum"), "metric.field", "FIELD_REQUIRED"),
    (MetricSpec("count", field="amount"), "metric.field", "FIELD_NOT_ALLOWED"),
    (MetricSpec("sum", field="a..b"), "metric.field", "INVALID_PATH"),
    (MetricSpec("unique", field=".a"), "metric.field", "INVALID_PATH"),
    (MetricSpec("unique", field="a."), "metric.field", "INVALID_PATH"),
    (MetricSpec("unique", field="a\nb"), "metric.field", "INVALID_PATH"),
    (MetricSpec("unique", field=".".join(["k"] * 17)), "metric.field", "INVALID_PATH"),
    (MetricSpec("unique", field="x" * 513), "metric.field", "INVALID_PATH"),
    (MetricSpec("count", event_names=("ok", "")), "metric.event_names[1]", "INVALID_EVENT_NAME"),
    (MetricSpec("count", event_names=("a\x00b",)), "metric.event_names[0]", "INVALID_EVENT_NAME"),
    (MetricSpec("count", filter_groups=((F("a", Op.EQUALS, (1,)),), ())), "metric.filter_groups[1].filters",
     "INVALID_FILTER"),
    (MetricSpec("count", filter_groups=((F("a", Op.EQUALS, (1,)), F("b", 0, (1,))),)),
     "metric.filter_groups[0].filters[1].operator", "INVALID_FILTER"),
    (MetricSpec("count", filter_groups=((F("a", 99, (1,)),),)), "metric.filter_groups[0].filters[0].operator",
     "INVALID_FILTER"),
    (MetricSpec("count", filter_groups=((F("", Op.EXISTS),),)), "metric.filter_groups[0].filters[0].path",
     "INVALID_PATH"),
    (MetricSpec("count", filter_groups=((F("plan..tier", Op.EXISTS),),)),
     "metric.filter_groups[0].filters[0].path", "INVALID_PATH"),
])
def test_invalid_definitions_name_the_field(spec: MetricSpec, field: str, reason: str) -> None:
    err = _error(validate_metric, spec, AGGS)
    assert err.metadata["field"] == field
    assert err.reason == reason


@pytest.mark.parametrize("f, reason", [
    (F("a", Op.EQUALS, ()), "INVALID_FILTER"),
    (F("a", Op.EQUALS, (1, 2)), "INVALID_FILTER"),
    (F("a", Op.IN, ()), "INVALID_FILTER"),
    (F("a", Op.EXISTS, (1,)), "INVALID_FILTER"),
    (F("a", Op.GREATER, ("5",)), "INVALID_FILTER_VALUE"),
    (F("a", Op.LESS, (True,)), "INVALID_FILTER_VALUE"),
    (F("a", Op.LESS_OR_EQUAL, (None,)), "INVALID_FILTER_VALUE"),
    (F("a", Op.CONTAINS, (3,)), "INVALID_FILTER_VALUE"),
    (F("a", Op.EQUALS, ({"nested": 1},)), "INVALID_FILTER_VALUE"),
    (F("a", Op.IN, ([1, 2],)), "INVALID_FILTER_VALUE"),
    (F("a", Op.EQUALS, (math.nan,)), "INVALID_FILTER_VALUE"),
    (F("a", Op.GREATER, (math.inf,)), "INVALID_FILTER_VALUE"),
])
def test_filter_values_must_fit_their_operator(f: F, reason: str) -> None:
    err = _error(validate_filters, [F("ok", Op.EXISTS), f], "filters")
    assert err.reason == reason
    assert err.metadata["field"].startswith("filters[1].values")


def test_every_operator_accepts_its_own_shape() -> None:
    good = [F("a", Op.EQUALS, (None,)), F("a", Op.NOT_EQUALS, ("x",)), F("a", Op.IN, ("x", 1, True, None)),
            F("a", Op.NOT_IN, (2,)), F("a", Op.GREATER, (1,)), F("a", Op.GREATER_OR_EQUAL, (1.5,)),
            F("a", Op.LESS, (-1,)), F("a", Op.LESS_OR_EQUAL, (0,)), F("a", Op.CONTAINS, ("x",)),
            F("a", Op.EXISTS), F("a", Op.NOT_EXISTS)]
    assert [f.op for f in validate_filters(good, "filters")] == list(Op)


def test_path_keys_may_hold_quotes_backslashes_and_unicode() -> None:
    assert parse_path("plan.ti'er\\x.größe 🙂.\"q\"", "f") == ("plan", "ti'er\\x", "größe 🙂", '"q"')


def test_too_many_event_names_or_filters_are_refused() -> None:
    assert _error(validate_event_names, [f"e{i}" for i in range(101)], "event_names").reason == "TOO_MANY_EVENT_NAMES"
    assert _error(validate_filters, [F("a", Op.EXISTS)] * 51, "filters").reason == "TOO_MANY_FILTERS"


@pytest.mark.parametrize("definition, field", [
    (MetricDefinition(name="  ", aggregation="count"), "metric.name"),
    (MetricDefinition(name="x" * 201, aggregation="count"), "metric.name"),
    (MetricDefinition(name="ok", aggregation="count", format="roman"), "metric.format"),
    (MetricDefinition(name="ok", aggregation="count", unit="u" * 65), "metric.unit"),
    (MetricDefinition(name="ok", aggregation="sum"), "metric.field"),
])
def test_definition_fields_are_checked(definition: MetricDefinition, field: str) -> None:
    assert _error(validate_definition, definition, AGGS).metadata["field"] == field


def test_definition_name_is_trimmed() -> None:
    tidy, _ = validate_definition(MetricDefinition(name="  Activations ", aggregation="count"), AGGS)
    assert tidy.name == "Activations"
