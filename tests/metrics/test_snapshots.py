"""The SQL each kind of definition compiles to, kept in tests/metrics/snapshots/.

A change to the compiler shows up here as a reviewable diff of SQL and parameters.
Regenerate on purpose with PARTNEROS_UPDATE_SNAPSHOTS=1.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import pathlib

import pytest

from libs.auth.scope import EffectiveScope
from services.metrics.aggregations import registry
from services.metrics.compiler import (
    CompileContext, build_events_select, build_metric_select, print_select, resolve_events, resolve_metric,
    validate_filter_groups, validate_filters, validate_metric,
)
from services.metrics.compiler.resolve import Cursor
from services.metrics.compiler.spec import FilterSpec as F
from services.metrics.compiler.spec import MetricSpec, Op
from services.metrics.compiler.windows import Grain, Mode, Period, WindowSpec

SNAPSHOTS = pathlib.Path(__file__).parent / "snapshots"
UTC = dt.timezone.utc
NOW = dt.datetime(2025, 11, 3, 15, 45, tzinfo=UTC)
PARTNER = EffectiveScope("ten_snap", frozenset({"ptn_a", "ptn_a1"}), None, 2, "ptn_a")
TENANT = EffectiveScope("ten_snap", None, None, 1, "")
CUSTOMER = EffectiveScope("ten_snap", frozenset({"ptn_a1"}), "cus_1", 3, "cus_1")
AGGS = registry()

CASES = {
    "count_all_partner_level": (MetricSpec("count"), PARTNER, {}),
    "count_names_customer_level": (MetricSpec("count", ("signup", "activation")), CUSTOMER, {}),
    "sum_revenue_daily_compare": (MetricSpec("sum", ("purchase",), "amount"), TENANT,
                                  dict(grain=Grain.DAY, compare_previous=True)),
    "unique_customers_weekly_breakdown": (MetricSpec("unique", ("usage",)), TENANT,
                                          dict(grain=Grain.WEEK, breakdown=True)),
    "unique_values_of_a_path": (MetricSpec("unique", (), "plan.tier"), PARTNER, {}),
    "sum_with_or_groups_hourly": (MetricSpec("sum", (), "seats", (
        (F("plan.tier", Op.IN, ("enterprise", "pro")), F("seats", Op.GREATER_OR_EQUAL, (5,))),
        (F("trial", Op.EQUALS, (True,)), F("coupon", Op.NOT_EXISTS)),
        (F("region", Op.NOT_IN, ("apac", 7, None)), F("note", Op.CONTAINS, ("vip",))),
    )), PARTNER, dict(grain=Grain.HOUR, window=WindowSpec(Period.DAY, Mode.LAST_COMPLETE))),
    "count_month_to_date_compare_extra_filter": (MetricSpec("count"), PARTNER, dict(
        window=WindowSpec(Period.MONTH, Mode.CURRENT_TO_DATE), compare_previous=True,
        extra_filters=validate_filters([F("plan.tier", Op.NOT_EQUALS, ("free",)),
                                        F("amount", Op.LESS, (100,))], "filters"))),
    "count_quarter_grain_range": (MetricSpec("count"), PARTNER, dict(
        grain=Grain.QUARTER, window=WindowSpec(mode=Mode.RANGE, start=dt.datetime(2025, 1, 1, tzinfo=UTC),
                                               end=dt.datetime(2025, 7, 1, tzinfo=UTC)))),
}


def _metric_sql(spec: MetricSpec, scope: EffectiveScope, options: dict) -> tuple[str, dict]:
    args = dict(window=WindowSpec(Period.MONTH, Mode.LAST_COMPLETE), grain=0, time_zone="Europe/Berlin",
                week_start=1, now=NOW)
    args.update(options)
    plan = resolve_metric(validate_metric(spec, AGGS), scope=scope, aggregations=AGGS, **args)
    ctx = CompileContext(scope)
    return print_select(build_metric_select(plan), ctx), ctx.params


def _events_sql() -> tuple[str, dict]:
    groups = validate_filter_groups([[F("plan.tier", Op.EQUALS, ("enterprise",))]], "filter_groups")
    plan = resolve_events(scope=PARTNER, event_names=("purchase",), filter_groups=groups,
                          window=WindowSpec(Period.WEEK, Mode.TRAILING, 2), time_zone="America/New_York",
                          week_start=7, now=NOW, limit=51,
                          after=Cursor(dt.datetime(2025, 10, 30, 8, tzinfo=UTC), "evt_9", "cus_1"))
    ctx = CompileContext(PARTNER)
    return print_select(build_events_select(plan), ctx), ctx.params


def _render(sql: str, params: dict) -> str:
    lines = [sql, "", "-- parameters"]
    lines += [f"-- {name} = {json.dumps(value, default=str, ensure_ascii=False)}" for name, value in params.items()]
    return "\n".join(lines) + "\n"


def _check(name: str, text: str) -> None:
    path = SNAPSHOTS / f"{name}.sql"
    if os.environ.get("PARTNEROS_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"no snapshot {path.name}: run with PARTNEROS_UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text(), f"{path.name} changed: review the diff, then regenerate"


@pytest.mark.parametrize("name", sorted(CASES))
def test_metric_sql_matches_its_snapshot(name: str) -> None:
    spec, scope, options = CASES[name]
    _check(name, _render(*_metric_sql(spec, scope, options)))


def test_event_list_sql_matches_its_snapshot() -> None:
    _check("event_list_page", _render(*_events_sql()))
