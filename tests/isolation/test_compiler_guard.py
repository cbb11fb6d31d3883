"""The compiler's guard, over every statement it can produce: generated definitions, filters,
windows, grains, breakdowns, event-list pages, at generated scopes.

Every printed statement is parsed (sqlglot, ClickHouse dialect) and must
- carry the tenant predicate and the scope predicates (partners, customer) as conjuncts of its
  TOP-LEVEL WHERE, bound to exactly the scope's values: a guard inside an OR does not count;
- inline no value: no string or number literal (bar the printer's own 0/1 for empty groups), no
  identifier but the table's columns and the statement's aliases, and no generated user value
  anywhere in the SQL text; each one reaches the engine as a bound parameter.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlglot
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlglot import exp

from libs.auth.scope import EffectiveScope
from libs.errors import ApiError
from services.metrics.aggregations import registry
from services.metrics.compiler import (
    CompileContext, CompilerError, FilterSpec, MetricSpec, build_events_select, build_metric_select, print_select,
    resolve_events, resolve_metric, validate_filter_groups, validate_filters, validate_metric,
)
from services.metrics.compiler.ast import Column, Compare, Const, Or, Select
from services.metrics.compiler.resolve import Cursor
from services.metrics.compiler.schema import EVENTS
from services.metrics.compiler.windows import WindowSpec

UTC = dt.timezone.utc
MARK = "ΩQ"  # every generated user value carries it: it must never reach the SQL text
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))

_nasty = st.sampled_from(["'", "\\", '"', "`", "{", "}", ")", "--", "/*", ";", " OR 1=1", "é", "🙂", "%", ":", "$$"])
_printable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=4)


def _texts(extra: st.SearchStrategy) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(_nasty, extra), max_size=4).map(lambda p: MARK + "".join(p))


user_text = _texts(_printable)  # names, ids, path keys: printable (control characters are refused)
value_text = _texts(st.one_of(_printable, st.just("\x00"), st.text(max_size=3)))  # filter values: anything
paths = st.lists(user_text.map(lambda s: s.replace(".", "·")), min_size=1, max_size=3).map(".".join)
ids = user_text
scalars = st.one_of(value_text, st.floats(allow_nan=False, allow_infinity=False, width=32).map(lambda f: f + 0.25),
                    st.booleans(), st.none())


@st.composite
def filter_specs(draw) -> FilterSpec:  # noqa: ANN001
    op = draw(st.integers(1, 11))
    if op in (10, 11):
        values: tuple = ()
    elif op in (3, 4):
        values = tuple(draw(st.lists(scalars, min_size=1, max_size=3)))
    elif op in (5, 6, 7, 8):
        values = (draw(st.floats(allow_nan=False, allow_infinity=False, width=32)),)
    elif op == 9:
        values = (draw(value_text),)
    else:
        values = (draw(scalars),)
    return FilterSpec(draw(paths), op, values)


scopes = st.builds(
    EffectiveScope, tenant_id=ids, partner_ids=st.one_of(st.none(), st.frozensets(ids, max_size=4)),
    customer_id=st.one_of(st.none(), ids), level_kind=st.integers(0, 3), level_id=st.just(""))


@st.composite
def metric_specs(draw) -> MetricSpec:  # noqa: ANN001
    """Definitions of every installed aggregation, with a field where it takes one."""
    from services.metrics.aggregations.base import FieldUse

    aggregations = registry()
    name = draw(st.sampled_from(sorted(aggregations)))
    use = aggregations[name].field_use
    field = "" if use is FieldUse.FORBIDDEN else draw(paths) if use is FieldUse.REQUIRED else draw(
        st.one_of(st.just(""), paths))
    return MetricSpec(name, tuple(draw(st.lists(user_text, max_size=3))), field, tuple(
        tuple(g) for g in draw(st.lists(st.lists(filter_specs(), min_size=1, max_size=3), max_size=3))))


windows = st.one_of(
    st.builds(WindowSpec, period=st.integers(1, 4), mode=st.integers(1, 3), count=st.integers(1, 4)),
    st.just(WindowSpec(mode=4, start=dt.datetime(2024, 1, 1, tzinfo=UTC), end=dt.datetime(2024, 3, 1, tzinfo=UTC))),
    st.just(WindowSpec()))
grains = st.integers(0, 5)
zones = st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"])
NOW = dt.datetime(2024, 5, 15, 15, 30, tzinfo=UTC)


def _conjuncts(node: exp.Expression) -> list[exp.Expression]:
    """The AND-ed parts of a WHERE: parentheses unwrapped, ANDs flattened, nothing else split."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.And):
        return _conjuncts(node.this) + _conjuncts(node.expression)
    return [node]


def _placeholder(node: exp.Expression) -> str | None:
    while isinstance(node, exp.Paren):
        node = node.this
    return node.name if isinstance(node, exp.Placeholder) else None


def _guard_of(conjunct: exp.Expression) -> tuple[str, str] | None:
    """('tenant_id' | 'partner_id' | 'customer_id', placeholder) when the conjunct is a guard shape."""
    if isinstance(conjunct, exp.EQ) and isinstance(conjunct.this, exp.Column):
        name = _placeholder(conjunct.expression)
        return (conjunct.this.name, name) if name else None
    if isinstance(conjunct, exp.In) and isinstance(conjunct.this, exp.Column):
        name = _placeholder(conjunct.args.get("field")) if conjunct.args.get("field") is not None else None
        return (conjunct.this.name, name) if name else None
    return None


def assert_guarded(sql: str, params: dict, scope: EffectiveScope, aliases: set[str]) -> None:
    """The statement's top-level WHERE carries tenant and scope, and nothing is inlined."""
    assert MARK not in sql, f"a user value is inlined in the SQL:\n{sql}"
    tree = sqlglot.parse_one(sql, read="clickhouse")
    assert isinstance(tree, exp.Select) and len(list(tree.find_all(exp.Select))) == 1, sql
    assert [t.name for t in tree.find_all(exp.Table)] == [EVENTS.name], sql
    where = tree.args.get("where")
    assert where is not None, f"no WHERE at all:\n{sql}"
    conjuncts = _conjuncts(where.this)
    guards = {g for g in map(_guard_of, conjuncts) if g is not None}
    tenant = [p for col, p in guards if col == EVENTS.tenant_column]
    assert tenant and all(params[p] == scope.tenant_id for p in tenant), f"no top-level tenant guard:\n{sql}"
    if scope.partner_ids is not None:
        partners = [p for col, p in guards if col == EVENTS.partner_column and params[p] == sorted(scope.partner_ids)]
        empty = not scope.partner_ids and any(isinstance(c, exp.Literal) and c.this == "0" for c in conjuncts)
        assert partners or empty, f"no top-level partner scope guard for {sorted(scope.partner_ids)}:\n{sql}"
    if scope.customer_id is not None:
        customer = [p for col, p in guards if col == EVENTS.customer_column and params[p] == scope.customer_id]
        assert customer, f"no top-level customer scope guard:\n{sql}"
    for literal in tree.find_all(exp.Literal):
        if literal.find_ancestor(exp.DataType) is None:  # type arguments like DateTime64(3, 'UTC') are not values
            assert not literal.is_string and literal.this in ("0", "1"), f"inlined value {literal.sql()}:\n{sql}"
    known = EVENTS.columns | aliases
    for column in tree.find_all(exp.Column):
        assert column.name in known, f"unknown identifier {column.sql()}:\n{sql}"
    for placeholder in tree.find_all(exp.Placeholder):
        assert placeholder.name in params, f"unbound placeholder {placeholder.sql()}:\n{sql}"


def _print(select: Select, scope: EffectiveScope) -> tuple[str, dict]:
    ctx = CompileContext(scope)
    return print_select(select, ctx), ctx.params


@SETTINGS
@given(spec=metric_specs(), scope=scopes, window=windows, grain=grains, zone=zones, compare=st.booleans(),
       breakdown=st.booleans(), extra=st.lists(filter_specs(), max_size=3), only=st.frozensets(ids, max_size=3),
       week_start=st.integers(1, 7))
def test_every_metric_statement_is_guarded_and_inlines_nothing(spec, scope, window, grain, zone, compare, breakdown,  # noqa: ANN001
                                                               extra, only, week_start) -> None:
    aggregations = registry()
    try:
        valid = validate_metric(spec, aggregations)
        extra_valid = validate_filters(extra, "filters")
        plan = resolve_metric(valid, scope=scope, aggregations=aggregations, window=window, grain=grain,
                              time_zone=zone, week_start=week_start, now=NOW, compare_previous=compare,
                              breakdown=breakdown, extra_filters=extra_valid)
    except ApiError as refused:
        event(f"refused: {refused.reason}")
        return  # refused as the caller's mistake: nothing is printed
    event("printed")
    for variant in (plan, dataclasses.replace(plan, only_partners=only or None)):  # the breakdown's "rest" query
        select = build_metric_select(variant)
        sql, params = _print(select, scope)
        assert_guarded(sql, params, scope, {c.name for c in select.columns})


@SETTINGS
@given(scope=scopes, names=st.lists(user_text, max_size=3), groups=st.lists(st.lists(filter_specs(), min_size=1,
       max_size=3), max_size=3), window=st.one_of(st.none(), windows), zone=zones, limit=st.integers(1, 1001),
       cursor=st.one_of(st.none(), st.builds(Cursor, ts=st.just(NOW), event_id=user_text, customer_id=user_text)))
def test_every_event_list_statement_is_guarded_and_inlines_nothing(scope, names, groups, window, zone, limit,  # noqa: ANN001
                                                                   cursor) -> None:
    try:
        valid_groups = validate_filter_groups(groups, "filter_groups")
        plan = resolve_events(scope=scope, event_names=tuple(names), filter_groups=valid_groups, window=window,
                              time_zone=zone, week_start=1, now=NOW, limit=limit, after=cursor)
    except ApiError as refused:
        event(f"refused: {refused.reason}")
        return
    event("printed")
    select = build_events_select(plan)
    sql, params = _print(select, scope)
    assert_guarded(sql, params, scope, {c.name for c in select.columns})


def test_a_guard_inside_an_or_does_not_count() -> None:
    """The checker itself: an OR-injected tenant predicate is not a top-level conjunct."""
    scope = EffectiveScope("ten_a", frozenset({"p1"}), None, 2, "p1")
    sql = ("SELECT count() AS value FROM events WHERE (partner_id IN {scope_partners:Array(String)}) "
           "AND ((name = {p0:String}) OR (tenant_id = {tenant:String}))")
    params = {"tenant": "ten_a", "scope_partners": ["p1"], "p0": "x"}
    with pytest.raises(AssertionError, match="no top-level tenant guard"):
        assert_guarded(sql, params, scope, {"value"})
    inlined = "SELECT count() AS value FROM events WHERE (tenant_id = 'ten_a') AND (partner_id IN {scope_partners:Array(String)})"
    with pytest.raises(AssertionError):
        assert_guarded(inlined, params, scope, {"value"})


def test_an_injected_or_in_the_callers_conditions_stays_inside_its_parentheses() -> None:
    """A where clause that ORs everything in cannot widen the guard: the printer ANDs the guard
    in front of the caller's conditions, each parenthesised."""
    scope = EffectiveScope("ten_a", frozenset({"p1"}), "c1", 3, "c1")
    wide = Or((Compare("=", Column("tenant_id"), Const("ten_b", "String")), Compare("=", Const(1, "UInt8"),
                                                                                  Const(1, "UInt8"))))
    select = Select(table=EVENTS.name, columns=(), where=wide)
    sql, params = _print(dataclasses.replace(select, columns=build_events_select(resolve_events(
        scope=scope, event_names=(), filter_groups=(), window=None, time_zone="UTC", week_start=1, now=NOW, limit=1,
        after=None)).columns), scope)
    assert_guarded(sql, params, scope, {"event_id", "name", "customer_id", "partner_id", "ts", "received_at",
                                        "source", "properties"})


def test_printing_without_a_tenant_scope_is_refused() -> None:
    with pytest.raises(CompilerError):
        CompileContext(object())  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        EffectiveScope("", None, None, 1, "")
    ctx = CompileContext(EffectiveScope("ten_a", None, None, 1, ""))
    ctx.tenant_id = "ten_b"  # a context tampered with after creation
    with pytest.raises(CompilerError):
        print_select(Select(table=EVENTS.name, columns=()), ctx)
