"""Stages 2-4: resolve against scope and clock, build the tree, print guarded SQL."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from libs.auth.scope import EffectiveScope
from libs.errors import FailedPrecondition, InvalidArgument
from services.metrics.aggregations import registry
from services.metrics.compiler import (
    CompileContext, CompilerError, build_events_select, build_metric_select, print_select, resolve_events,
    resolve_metric, validate_metric,
)
from services.metrics.compiler.ast import Alias, And, Call, Column, Compare, Const, Or, Ref, Select
from services.metrics.compiler.resolve import Cursor
from services.metrics.compiler.spec import FilterSpec, MetricSpec, Op
from services.metrics.compiler.windows import Grain, Mode, Period, WindowSpec

UTC = dt.timezone.utc
NOW = dt.datetime(2025, 4, 2, 9, tzinfo=UTC)
SCOPE = EffectiveScope("ten_x", frozenset({"ptn_b", "ptn_a"}), None, 2, "ptn_a")
AGGS = registry()


def plan(spec: MetricSpec = MetricSpec("count"), scope: EffectiveScope = SCOPE, **kw):  # noqa: ANN201
    args = dict(window=WindowSpec(Period.MONTH, Mode.LAST_COMPLETE), grain=0, time_zone="Europe/Berlin",
                week_start=1, now=NOW)
    args.update(kw)
    return resolve_metric(validate_metric(spec, AGGS), scope=scope, aggregations=AGGS, **args)


def sql_of(select: Select, scope: EffectiveScope = SCOPE) -> tuple[str, dict]:
    ctx = CompileContext(scope)
    return print_select(select, ctx), ctx.params


# ---- resolve ----------------------------------------------------------------------------------
def test_resolve_refuses_an_unknown_zone() -> None:
    with pytest.raises(InvalidArgument) as err:
        plan(time_zone="Mars/Olympus")
    assert err.value.metadata["field"] == "time_zone"


def test_resolve_refuses_an_unknown_grain() -> None:
    with pytest.raises(InvalidArgument) as err:
        plan(grain=42)
    assert err.value.metadata["field"] == "grain"


def test_resolve_refuses_an_aggregation_no_longer_installed() -> None:
    valid = validate_metric(MetricSpec("count"), AGGS)
    with pytest.raises(FailedPrecondition):
        resolve_metric(valid, scope=SCOPE, aggregations={}, window=WindowSpec(), grain=0, time_zone="UTC",
                       week_start=1, now=NOW)


@pytest.mark.parametrize("scope", [None, {"tenant_id": "ten_x"}, "ten_x"])
def test_resolve_needs_an_effective_scope(scope: object) -> None:
    with pytest.raises(CompilerError):
        plan(scope=scope)  # type: ignore[arg-type]


def test_resolve_plans_window_previous_and_buckets_in_the_zone() -> None:
    p = plan(grain=Grain.WEEK, compare_previous=True)
    assert p.window.start == dt.datetime(2025, 2, 28, 23, tzinfo=UTC)  # March 1st, Berlin
    assert p.window.end == dt.datetime(2025, 3, 31, 22, tzinfo=UTC)  # April 1st, Berlin summer time
    assert p.previous is not None and p.previous.end == p.window.start
    assert [k for k, _ in p.buckets][:2] == [dt.date(2025, 2, 24), dt.date(2025, 3, 3)]


# ---- build ------------------------------------------------------------------------------------
def _aliases(select: Select) -> list[str]:
    return [c.name for c in select.columns]


def test_a_plain_value_is_one_row_without_group_by() -> None:
    select = build_metric_select(plan())
    assert _aliases(select) == ["value"] and select.group_by == ()


def test_sum_adds_the_skipped_count() -> None:
    assert _aliases(build_metric_select(plan(MetricSpec("sum", field="amount")))) == ["value", "skipped"]


def test_compare_previous_groups_by_period_and_merges_adjacent_ranges() -> None:
    select = build_metric_select(plan(compare_previous=True))
    assert _aliases(select) == ["is_current", "value"]
    assert select.group_by == ((Ref("is_current"),),)
    time = select.where.items[0] if isinstance(select.where, And) and isinstance(select.where.items[0], And) else select.where
    assert isinstance(time, And) and len(time.items) == 2  # one contiguous range, previous start to window end


def test_a_to_date_window_keeps_the_gap_out_of_the_previous_period() -> None:
    select = build_metric_select(plan(window=WindowSpec(Period.MONTH, Mode.CURRENT_TO_DATE), compare_previous=True))
    assert isinstance(select.where, Or)  # [Mar 1, Mar 2 09:00) or [Apr 1, now): not the rest of March


def test_grain_and_breakdown_are_grouping_sets_of_one_scan() -> None:
    select = build_metric_select(plan(grain=Grain.DAY, breakdown=True, compare_previous=True))
    assert _aliases(select) == ["is_current", "bucket", "partner", "grouping_set", "value"]
    assert select.group_by == ((Ref("is_current"),), (Ref("is_current"), Ref("bucket")),
                               (Ref("is_current"), Ref("partner")))


def test_the_rest_of_a_breakdown_restricts_partners_inside_the_scope() -> None:
    p = dataclasses.replace(plan(), only_partners=frozenset({"ptn_b"}))
    sql, params = sql_of(build_metric_select(p))
    assert "partner_id IN {scope_partners:Array(String)}" in sql  # the scope guard stays
    assert ["ptn_b"] in params.values()


def test_the_event_list_is_newest_first_and_resumes_after_its_cursor() -> None:
    cursor = Cursor(dt.datetime(2025, 1, 1, tzinfo=UTC), "evt_1", "cus_1")
    p = resolve_events(scope=SCOPE, event_names=("a",), filter_groups=(), window=None, time_zone="UTC", week_start=1,
                       now=NOW, limit=11, after=cursor)
    sql, params = sql_of(build_events_select(p))
    assert "ORDER BY ts DESC, event_id DESC, customer_id DESC" in sql
    assert "tuple(ts, event_id, customer_id) < tuple(" in sql
    assert 11 in params.values() and "evt_1" in params.values()


# ---- print ------------------------------------------------------------------------------------
def test_the_guard_comes_first_and_binds_tenant_and_scope() -> None:
    sql, params = sql_of(build_metric_select(plan()))
    where = sql.split("WHERE ", 1)[1]
    assert where.startswith("(tenant_id = {tenant:String}) AND (partner_id IN {scope_partners:Array(String)})")
    assert params["tenant"] == "ten_x" and params["scope_partners"] == ["ptn_a", "ptn_b"]
    assert "FROM events\n" in sql  # no FINAL: ingest writes each event once


def test_a_whole_tenant_scope_still_has_the_tenant_predicate() -> None:
    whole = EffectiveScope("ten_x", None, None, 1, "")
    sql, params = sql_of(build_metric_select(plan(scope=whole)), whole)
    assert "tenant_id = {tenant:String}" in sql and "partner_id IN" not in sql
    assert params["tenant"] == "ten_x"


def test_a_scope_without_partners_matches_nothing() -> None:
    empty = EffectiveScope("ten_x", frozenset(), None, 1, "")
    sql, _ = sql_of(build_metric_select(plan(scope=empty)), empty)
    assert "WHERE (tenant_id = {tenant:String}) AND (0) AND" in sql


def test_a_customer_scope_binds_the_customer_and_its_partner() -> None:
    one = EffectiveScope("ten_x", frozenset({"ptn_a"}), "cus_1", 3, "cus_1")
    sql, params = sql_of(build_metric_select(plan(scope=one)), one)
    assert "customer_id = {scope_customer:String}" in sql and params["scope_customer"] == "cus_1"


def test_the_printer_refuses_without_a_scope() -> None:
    select = build_metric_select(plan())
    with pytest.raises(CompilerError):
        CompileContext(None)  # type: ignore[arg-type]
    with pytest.raises(CompilerError):
        print_select(select, object())  # type: ignore[arg-type]
    ctx = CompileContext(SCOPE)
    ctx.scope = None  # type: ignore[assignment]
    with pytest.raises(CompilerError):
        print_select(select, ctx)
    ctx = CompileContext(SCOPE)
    ctx.tenant_id = "ten_other"
    with pytest.raises(CompilerError):
        print_select(select, ctx)


@pytest.mark.parametrize("select", [
    Select("events", (Alias(Call("sleepEachRow", (Const(1, "Float64"),)), "x"),)),
    Select("events", (Alias(Column("secret"), "x"),)),
    Select("events", (Alias(Ref("nowhere"), "x"),)),
    Select("events", (Alias(Const(1, "Nullable(String)"), "x"),)),
    Select("events", (Alias(Column("ts"), "x; DROP TABLE events"),)),
    Select("system.tables", (Alias(Column("name"), "x"),)),
    Select("events", (Alias(Compare("LIKE", Column("name"), Const("a", "String")), "x"),)),
    Select("events", (Alias(Column("ts"), "x"),), functions=frozenset({"f(1)"})),
])
def test_the_printer_prints_known_parts_only(select: Select) -> None:
    with pytest.raises(CompilerError):
        sql_of(select)


def test_values_are_never_in_the_sql_text() -> None:
    spec = MetricSpec("sum", ("evt-name-1",), "amount-key", ((FilterSpec("tier-key", Op.IN, ("val-a", "val-b", 123.5)),),))
    sql, params = sql_of(build_metric_select(plan(spec, grain=Grain.HOUR, time_zone="Asia/Kolkata")))
    for text in ("evt-name-1", "amount-key", "tier-key", "val-a", "val-b", "123.5", "Asia/Kolkata", "ten_x", "ptn_a"):
        assert text not in sql
    assert "Asia/Kolkata" in params.values()


def test_equal_values_share_one_parameter() -> None:
    sql, params = sql_of(build_metric_select(plan(MetricSpec("sum", field="amount"))))
    assert list(params.values()).count("amount") == 1
    assert sql.count("{p0:String}") == 3  # JSONExtractFloat, JSONType twice
