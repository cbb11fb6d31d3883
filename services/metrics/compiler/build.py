"""Stage 3: build the query tree of a plan. No tenant or scope here: the printer adds those.

One metric query answers everything asked at once, in one scan: the total of the window (and
of the previous period), the time series and the per-partner breakdown, as GROUPING SETS.
"""
from __future__ import annotations

from services.metrics.compiler.ast import (
    NUMBER_TYPES, Alias, And, Call, Column, Compare, Const, Expr, Not, Or, OrderBy, Ref, Select, payload,
)
from services.metrics.compiler.resolve import EventsPlan, MetricPlan
from services.metrics.compiler.spec import Op, Path, Scalar, ValidFilter
from services.metrics.compiler.windows import Grain, TimeRange

__all__ = ["build_metric_select", "build_events_select", "filter_predicate", "groups_predicate",
           "EVENT_COLUMNS", "TS_TYPE"]

TS_TYPE = "DateTime64(3, 'UTC')"
EVENT_COLUMNS = ("event_id", "name", "customer_id", "partner_id", "ts", "received_at", "source", "properties")
_COMPARE = {Op.GREATER: ">", Op.GREATER_OR_EQUAL: ">=", Op.LESS: "<", Op.LESS_OR_EQUAL: "<="}


def _all(items: list[Expr]) -> Expr | None:
    return None if not items else items[0] if len(items) == 1 else And(tuple(items))


def _any(items: list[Expr]) -> Expr:
    return items[0] if len(items) == 1 else Or(tuple(items))


def _kind_is(path: Path, kind: str) -> Expr:
    return Compare("=", payload("JSONType", path), Const(kind, "String"))


def _is_number(path: Path) -> Expr:
    return Compare("IN", payload("JSONType", path), Const(list(NUMBER_TYPES), "Array(String)"))


def _equals_any(path: Path, values: tuple[Scalar, ...]) -> Expr:
    """The value at `path` is a JSON value equal to one of `values` (typed: "1" is not 1)."""
    strings = [v for v in values if isinstance(v, str)]
    numbers = [v for v in values if isinstance(v, float)]
    bools = sorted({int(v) for v in values if isinstance(v, bool)})
    options: list[Expr] = []
    if strings:
        text = payload("JSONExtractString", path)
        match = (Compare("=", text, Const(strings[0], "String")) if len(strings) == 1
                 else Compare("IN", text, Const(strings, "Array(String)")))
        options.append(And((_kind_is(path, "String"), match)))
    if numbers:
        number = payload("JSONExtractFloat", path)
        match = (Compare("=", number, Const(numbers[0], "Float64")) if len(numbers) == 1
                 else Compare("IN", number, Const(numbers, "Array(Float64)")))
        options.append(And((_is_number(path), match)))
    if bools:
        flag = payload("JSONExtractBool", path)
        match = Compare("=", flag, Const(bools[0], "UInt8")) if len(bools) == 1 else Compare(
            "IN", flag, Const(bools, "Array(UInt8)"))
        options.append(And((_kind_is(path, "Bool"), match)))
    if any(v is None for v in values):
        options.append(And((payload("JSONHas", path), _kind_is(path, "Null"))))
    return _any(options)


def filter_predicate(f: ValidFilter) -> Expr:
    """One filter as a predicate. Negations (NOT_EQUALS, NOT_IN) also match a missing path."""
    if f.op in (Op.EQUALS, Op.IN):
        return _equals_any(f.path, f.values)
    if f.op in (Op.NOT_EQUALS, Op.NOT_IN):
        return Not(_equals_any(f.path, f.values))
    if f.op in _COMPARE:
        return And((_is_number(f.path), Compare(_COMPARE[f.op], payload("JSONExtractFloat", f.path),
                                                Const(f.values[0], "Float64"))))
    if f.op is Op.CONTAINS:
        found = Call("position", (payload("JSONExtractString", f.path), Const(f.values[0], "String")))
        return And((_kind_is(f.path, "String"), Compare(">", found, Const(0, "UInt8"))))
    if f.op is Op.EXISTS:
        return payload("JSONHas", f.path)
    if f.op is Op.NOT_EXISTS:
        return Not(payload("JSONHas", f.path))
    raise ValueError(f"operator {f.op!r} has no predicate")


def groups_predicate(groups: tuple[tuple[ValidFilter, ...], ...]) -> Expr | None:
    """OR of groups, each the AND of its filters."""
    parts = [_all([filter_predicate(f) for f in group]) for group in groups if group]
    return _any([p for p in parts if p is not None]) if parts else None


def _in_range(ts: Expr, r: TimeRange) -> list[Expr]:
    return [Compare(">=", ts, Const(r.start, TS_TYPE)), Compare("<", ts, Const(r.end, TS_TYPE))]


def _time_predicate(plan: MetricPlan) -> Expr:
    ts = Column(plan.table.time_column)
    if plan.previous is None:
        return And(tuple(_in_range(ts, plan.window)))
    if plan.previous.end == plan.window.start:  # adjacent: one contiguous range
        return And(tuple(_in_range(ts, TimeRange(plan.previous.start, plan.window.end))))
    return Or((And(tuple(_in_range(ts, plan.previous))), And(tuple(_in_range(ts, plan.window)))))


def _bucket(plan: MetricPlan) -> Expr:
    """The bucket key of an event in the plan's zone: local date of the bucket start, or for hours
    the UNIX seconds of the local hour start (windows.bucket_starts yields the same keys)."""
    ts, tz = Column(plan.table.time_column), Const(plan.time_zone, "String")
    day = Call("toDate", (ts, tz))
    if plan.grain == Grain.HOUR:
        return Call("toUnixTimestamp", (Call("toStartOfHour", (ts, tz)),))
    if plan.grain == Grain.DAY:
        return day
    if plan.grain == Grain.WEEK:  # days back to the week start: (isoweekday + 7 - week_start) % 7
        back = Call("modulo", (Call("plus", (Call("toDayOfWeek", (day,)), Const(7 - plan.calendar.week_start, "UInt8"))),
                               Const(7, "UInt8")))
        return Call("subtractDays", (day, back))
    if plan.grain == Grain.MONTH:
        return Call("toStartOfMonth", (day,))
    if plan.grain == Grain.QUARTER:
        return Call("toStartOfQuarter", (day,))
    raise ValueError(f"grain {plan.grain} has no bucket")


def _received_by(plan: MetricPlan | EventsPlan) -> list[Expr]:
    """Only the events received by the plan's instant, when it has one (an answer as seen then)."""
    if plan.received_by is None:
        return []
    return [Compare("<=", Column(plan.table.received_column), Const(plan.received_by, TS_TYPE))]


def _names_filter(column: Column, names: tuple[str, ...]) -> list[Expr]:
    return [Compare("IN", column, Const(list(names), "Array(String)"))] if names else []


def build_metric_select(plan: MetricPlan) -> Select:
    """The metric query: columns is_current? bucket? partner? grouping_set? value skipped?"""
    table = plan.table
    where: list[Expr] = [_time_predicate(plan), *_received_by(plan)]
    if plan.only_partners is not None:
        where.append(Compare("IN", Column(table.partner_column), Const(sorted(plan.only_partners), "Array(String)")))
    where += _names_filter(Column("name"), plan.metric.event_names)
    groups = groups_predicate(plan.metric.filter_groups)
    if groups is not None:
        where.append(groups)
    where += [filter_predicate(f) for f in plan.extra_filters]

    columns: list[Alias] = []
    base: tuple[Expr, ...] = ()
    if plan.previous is not None:
        columns.append(Alias(Compare(">=", Column(table.time_column), Const(plan.window.start, TS_TYPE)), "is_current"))
        base = (Ref("is_current"),)
    sets = [base]
    dims: list[Expr] = []
    if plan.grain:
        columns.append(Alias(_bucket(plan), "bucket"))
        dims.append(Ref("bucket"))
    if plan.breakdown:
        columns.append(Alias(Column(table.partner_column), "partner"))
        dims.append(Ref("partner"))
    sets += [base + (d,) for d in dims]
    if dims:
        columns.append(Alias(Call("grouping", tuple(dims)), "grouping_set"))
    aggregate = plan.aggregation.build(plan.metric.field)  # type: ignore[attr-defined]
    columns.append(Alias(aggregate.value, "value"))
    if aggregate.skipped is not None:
        columns.append(Alias(aggregate.skipped, "skipped"))
    group_by = tuple(sets) if (dims or base) else ()
    return Select(table=table.name, columns=tuple(columns), where=_all(where), group_by=group_by,
                  functions=frozenset(getattr(plan.aggregation, "functions", frozenset())))


def build_events_select(plan: EventsPlan) -> Select:
    """One page of the event list, newest first, resuming strictly after the cursor."""
    table = plan.table
    ts = Column(table.time_column)
    where: list[Expr] = []
    if plan.window is not None:
        where += _in_range(ts, plan.window)
    where += _received_by(plan)
    where += _names_filter(Column("name"), plan.event_names)
    groups = groups_predicate(plan.filter_groups)
    if groups is not None:
        where.append(groups)
    if plan.after is not None:
        key = Call("tuple", (ts, Column("event_id"), Column(table.customer_column)))
        at = Call("tuple", (Const(plan.after.ts, TS_TYPE), Const(plan.after.event_id, "String"),
                            Const(plan.after.customer_id, "String")))
        where.append(Compare("<", key, at))
    return Select(
        table=table.name,
        columns=tuple(Alias(Column(c), c) for c in EVENT_COLUMNS),
        where=_all(where),
        order_by=(OrderBy(ts, True), OrderBy(Column("event_id"), True), OrderBy(Column(table.customer_column), True)),
        limit=plan.limit,
    )
