"""What filters and aggregations mean, asked of the real engine: typed equality, negations that
include a missing path, numbers only for comparisons, sum's skipped count, unique's identity.
Also: a new aggregation is a plugin object, with no change to the compiler."""
from __future__ import annotations

import datetime as dt
import uuid
from importlib.metadata import entry_points

import pytest

from libs.auth.scope import EffectiveScope
from services.metrics.aggregations import AggregateExprs, Aggregation, FieldUse, registry
from services.metrics.compiler import (
    CompileContext, build_events_select, build_metric_select, print_select, resolve_events, resolve_metric,
    validate_filter_groups, validate_metric,
)
from services.metrics.compiler.ast import Call, NUMBER_TYPES, Compare, Const, payload
from services.metrics.compiler.spec import FilterSpec as F
from services.metrics.compiler.spec import MetricSpec, Op
from services.metrics.compiler.windows import Mode, WindowSpec
from services.metrics.execute import run
from tests.metrics.conftest import event, insert_events

UTC = dt.timezone.utc
T0 = dt.datetime(2025, 5, 5, 12, tzinfo=UTC)
PAYLOADS = {
    "e1": {"plan": {"tier": "enterprise"}, "seats": 10, "flag": True, "region": "eu-west", "amount": 5},
    "e2": {"plan": {"tier": "pro"}, "seats": 3, "flag": False, "region": "us", "amount": 2.5},
    "e3": {"plan": "enterprise", "seats": "10", "region": None, "amount": "3"},
    "e4": {"amount": None},
    "e5": {"plan": {"tier": None}, "seats": 10.0, "flag": 1, "region": 7, "amount": True},
    "e6": {"region": "7", "amount": {"v": 1}, "seats": [10]},
    "e7": {"region": True, "amount": [1]},
}


@pytest.fixture(scope="module")
def world(pool):  # noqa: ANN001, ANN201
    tenant = f"ten_sem_{uuid.uuid4().hex[:8]}"
    rows = [event(tenant, "ptn_1", f"cus_{i % 3}", "evt", T0 + dt.timedelta(minutes=i), props, event_id=eid)
            for i, (eid, props) in enumerate(PAYLOADS.items())]
    insert_events(pool, rows)
    return EffectiveScope(tenant, None, None, 1, "")


def _matching(pool, scope: EffectiveScope, groups) -> set[str]:  # noqa: ANN001
    plan = resolve_events(scope=scope, event_names=(), filter_groups=validate_filter_groups(groups, "g"),
                          window=None, time_zone="UTC", week_start=1, now=T0, limit=100, after=None)
    ctx = CompileContext(scope)
    return {r["event_id"] for r in run(pool, print_select(build_events_select(plan), ctx), ctx.params).rows}


@pytest.mark.parametrize("f, expected", [
    (F("plan.tier", Op.EQUALS, ("enterprise",)), {"e1"}),
    (F("plan.tier", Op.NOT_EQUALS, ("enterprise",)), {"e2", "e3", "e4", "e5", "e6", "e7"}),
    (F("plan.tier", Op.EQUALS, (None,)), {"e5"}),
    (F("plan.tier", Op.IN, ("enterprise", "pro")), {"e1", "e2"}),
    (F("plan.tier", Op.NOT_IN, ("enterprise", "pro")), {"e3", "e4", "e5", "e6", "e7"}),
    (F("plan.tier", Op.EXISTS), {"e1", "e2", "e5"}),
    (F("seats", Op.EQUALS, (10,)), {"e1", "e5"}),
    (F("seats", Op.EQUALS, ("10",)), {"e3"}),
    (F("seats", Op.GREATER, (3,)), {"e1", "e5"}),
    (F("seats", Op.GREATER_OR_EQUAL, (3,)), {"e1", "e2", "e5"}),
    (F("seats", Op.LESS, (10,)), {"e2"}),
    (F("seats", Op.LESS_OR_EQUAL, (10,)), {"e1", "e2", "e5"}),
    (F("flag", Op.EQUALS, (True,)), {"e1"}),
    (F("flag", Op.EQUALS, (False,)), {"e2"}),
    (F("flag", Op.EQUALS, (1,)), {"e5"}),
    (F("region", Op.CONTAINS, ("eu",)), {"e1"}),
    (F("region", Op.EXISTS), {"e1", "e2", "e3", "e5", "e6", "e7"}),
    (F("region", Op.NOT_EXISTS), {"e4"}),
    (F("region", Op.IN, (7, "us", True)), {"e2", "e5", "e7"}),
    (F("region", Op.IN, (None,)), {"e3"}),
])
def test_each_operator_means_what_it_says(pool, world, f: F, expected: set[str]) -> None:  # noqa: ANN001
    assert _matching(pool, world, [[f]]) == expected


def test_groups_are_or_ed_and_filters_inside_and_ed(pool, world) -> None:  # noqa: ANN001
    groups = [[F("seats", Op.GREATER, (5,)), F("flag", Op.EQUALS, (True,))], [F("region", Op.EQUALS, (7,))]]
    assert _matching(pool, world, groups) == {"e1", "e5"}


def _value(pool, scope: EffectiveScope, spec: MetricSpec, aggregations=None) -> dict:  # noqa: ANN001
    aggregations = aggregations or registry()
    p = resolve_metric(validate_metric(spec, aggregations), scope=scope, aggregations=aggregations,
                       window=WindowSpec(mode=Mode.RANGE, start=T0, end=T0 + dt.timedelta(hours=1)), grain=0,
                       time_zone="UTC", week_start=1, now=T0)
    ctx = CompileContext(scope)
    return run(pool, print_select(build_metric_select(p), ctx), ctx.params).rows[0]


def test_sum_adds_json_numbers_and_counts_everything_else_as_skipped(pool, world) -> None:  # noqa: ANN001
    row = _value(pool, world, MetricSpec("sum", field="amount"))
    assert row["value"] == 7.5  # 5 + 2.5; "3", null, true, an object and an array are not numbers
    assert row["skipped"] == 5


def test_sum_counts_a_missing_field_as_skipped(pool, world) -> None:  # noqa: ANN001
    row = _value(pool, world, MetricSpec("sum", field="seats"))
    assert (row["value"], row["skipped"]) == (23.0, 4)  # 10 + 3 + 10.0; "10", [10] and two missing


def test_unique_counts_customers_or_typed_values(pool, world) -> None:  # noqa: ANN001
    assert _value(pool, world, MetricSpec("unique"))["value"] == 3
    # "eu-west", "us", 7, "7", true: null and missing are not values; 7 and "7" differ
    assert _value(pool, world, MetricSpec("unique", field="region"))["value"] == 5
    # 10 and 10.0 are one value; "10" and [10] are two more
    assert _value(pool, world, MetricSpec("unique", field="seats"))["value"] == 4


def test_unique_counts_zero_and_minus_zero_as_one_value(pool) -> None:  # noqa: ANN001
    """JSON text keeps -0.0 as written (the rail stores it so); an EQUALS 0 filter matches it,
    and unique must agree: one number."""
    tenant = f"ten_sem_{uuid.uuid4().hex[:8]}"
    texts = ['{"z":0}', '{"z":-0.0}', '{"z":0.0}', '{"z":-0}', '{"z":1}', '{"z":"0"}']
    insert_events(pool, [event(tenant, "ptn_1", "cus_1", "evt", T0 + dt.timedelta(minutes=i), text)
                         for i, text in enumerate(texts)])
    scope = EffectiveScope(tenant, None, None, 1, "")
    assert _value(pool, scope, MetricSpec("unique", field="z"))["value"] == 3  # 0, 1 and the string "0"


def test_the_shipped_aggregations_are_entry_points() -> None:
    found = {ep.name: ep.value for ep in entry_points(group="partneros.aggregations")}
    assert {"count", "sum", "unique"} <= set(found)
    assert found["sum"] == "services.metrics.aggregations.sum:AGGREGATION"
    assert set(registry()) >= {"count", "sum", "unique"}


def test_a_new_aggregation_is_one_plugin_object(pool, world) -> None:  # noqa: ANN001
    """A 'max' aggregation written outside the compiler compiles, prints and runs unchanged."""

    def build(field):  # noqa: ANN001, ANN202
        numeric = Compare("IN", payload("JSONType", field), Const(list(NUMBER_TYPES), "Array(String)"))
        return AggregateExprs(value=Call("maxIf", (payload("JSONExtractFloat", field), numeric)))

    maximum = Aggregation(name="max", description="Largest value.", field_use=FieldUse.REQUIRED, additive=False,
                          build=build, functions=frozenset({"maxIf"}))
    assert _value(pool, world, MetricSpec("max", field="seats"), {**registry(), "max": maximum})["value"] == 10.0
