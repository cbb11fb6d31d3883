"""QueryMetric: a stored definition at the caller's effective scope, over a window.

validate -> resolve -> build -> print, then one statement on the engine (a second one only
for the "rest" row of a breakdown of a non-additive aggregation such as unique).
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from google.protobuf import wrappers_pb2
from partneros.common.v1 import level_pb2
from partneros.metrics.v1 import metrics_pb2

from libs.auth.principal import Principal
from libs.auth.resolve import scope_for_level
from libs.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from services.metrics import store
from services.metrics.aggregations import registry
from services.metrics.compiler import (
    CompileContext, MetricPlan, build_metric_select, print_select, resolve_metric, validate_filters, validate_metric,
)
from services.metrics.compiler.resolve import check_as_of
from services.metrics.compiler.windows import WindowSpec
from services.metrics.definitions import filters_from_proto
from services.metrics.execute import run
from services.metrics.results import MetricAnswer, read_answer
from services.metrics.tenancy import partner_names, tenant_calendar

__all__ = ["query_metric", "plan_metric_query", "compile_plan", "window_spec", "require_as_of_for_as_seen",
           "DEFAULT_BREAKDOWN_LIMIT"]

DEFAULT_BREAKDOWN_LIMIT, MAX_BREAKDOWN_LIMIT = 10, 1000


def window_spec(window) -> WindowSpec:  # noqa: ANN001 - common.v1.Window
    return WindowSpec(
        period=int(window.period), mode=int(window.mode), count=int(window.count),
        start=window.start_time.ToDatetime(dt.timezone.utc) if window.HasField("start_time") else None,
        end=window.end_time.ToDatetime(dt.timezone.utc) if window.HasField("end_time") else None,
    )


def _now(request) -> dt.datetime:  # noqa: ANN001
    if request.HasField("as_of_time"):
        return request.as_of_time.ToDatetime(dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def require_as_of_for_as_seen(request) -> None:  # noqa: ANN001 - QueryMetricRequest or QueryEventsRequest
    """`as_seen` reproduces an answer at `as_of_time`: INVALID_ARGUMENT without that instant."""
    if request.as_seen and not request.HasField("as_of_time"):
        raise InvalidArgument("as_seen needs as_of_time: the instant the answer is reproduced at",
                              reason="AS_SEEN_WITHOUT_AS_OF_TIME", field="as_seen")


def plan_metric_query(engine, principal: Principal, request: metrics_pb2.QueryMetricRequest) -> tuple[MetricPlan, int]:  # noqa: ANN001
    """The plan of a QueryMetric request and the definition version it uses."""
    if request.breakdown_by_partner and not principal.is_operator:
        raise PermissionDenied("the breakdown by partner is for operators", reason="BREAKDOWN_NOT_ALLOWED")
    if request.breakdown_limit < 0:
        raise InvalidArgument("breakdown_limit must not be negative", reason="INVALID_BREAKDOWN_LIMIT",
                              field="breakdown_limit")
    require_as_of_for_as_seen(request)
    now = _now(request)
    if request.as_seen:  # the definition in force then
        check_as_of(now)
        definition, version = store.definition_at(engine, principal.tenant_id, request.metric_id, now)
    else:
        row = store.get(engine, principal.tenant_id, request.metric_id)
        definition, version = store.definition_of(row), row.version
    aggregations = registry()
    try:
        metric = validate_metric(definition.spec(), aggregations)
    except InvalidArgument as exc:  # stored when valid; a plugin since removed makes it unusable
        raise FailedPrecondition(f"metric {request.metric_id!r} cannot be computed: {exc.message}",
                                 reason="METRIC_NOT_COMPUTABLE", metric_id=request.metric_id) from None
    extra = validate_filters(filters_from_proto(request.filters), "filters")
    scope = scope_for_level(engine, request.level if request.HasField("level") else None, principal)
    time_zone, week_start = tenant_calendar(engine, principal.tenant_id)
    plan = resolve_metric(
        metric, scope=scope, aggregations=aggregations, window=window_spec(request.window),
        grain=int(request.grain), time_zone=request.time_zone or time_zone, week_start=week_start,
        now=now, compare_previous=request.compare_previous, breakdown=request.breakdown_by_partner,
        extra_filters=extra, as_seen=request.as_seen,
    )
    return plan, version


def compile_plan(plan: MetricPlan) -> tuple[str, dict]:
    """The SQL and bound parameters of a plan."""
    ctx = CompileContext(plan.scope)
    return print_select(build_metric_select(plan), ctx), ctx.params


def _answer(pool, plan: MetricPlan) -> MetricAnswer:  # noqa: ANN001
    sql, params = compile_plan(plan)
    return read_answer(plan, run(pool, sql, params).rows)


def _breakdown(engine, pool, plan: MetricPlan, answer: MetricAnswer, limit: int) -> list[metrics_pb2.BreakdownRow]:  # noqa: ANN001
    """One row per partner of the scope (0 when it has no events), by value; then the rest."""
    names = partner_names(engine, plan.scope.tenant_id, plan.scope.partner_ids)
    ids = set(names) | set(answer.partners)
    ordered = sorted(ids, key=lambda pid: (-answer.partners.get(pid, 0.0), names.get(pid, pid), pid))
    rows = [metrics_pb2.BreakdownRow(partner_id=pid, partner_name=names.get(pid, pid),
                                     value=answer.partners.get(pid, 0.0)) for pid in ordered[:limit]]
    rest = ordered[limit:]
    if rest:
        if plan.aggregation.additive:  # type: ignore[attr-defined]
            value = sum(answer.partners.get(pid, 0.0) for pid in rest)
        else:
            rest_plan = dataclasses.replace(plan, previous=None, grain=0, buckets=(), breakdown=False,
                                            only_partners=frozenset(rest))
            value = _answer(pool, rest_plan).value
        rows.append(metrics_pb2.BreakdownRow(partner_name="Other", value=value, is_rest=True))
    return rows


def query_metric(engine, pool, principal: Principal, request: metrics_pb2.QueryMetricRequest) -> metrics_pb2.QueryMetricResponse:  # noqa: ANN001
    plan, version = plan_metric_query(engine, principal, request)
    answer = _answer(pool, plan)
    response = metrics_pb2.QueryMetricResponse(
        value=answer.value, skipped_count=answer.skipped, metric_version=version, time_zone=plan.time_zone,
        effective_level=level_pb2.Level(kind=plan.scope.level_kind, id=plan.scope.level_id),
    )
    response.start_time.FromDatetime(plan.window.start)
    response.end_time.FromDatetime(plan.window.end)
    if plan.previous is not None:
        response.previous_value = answer.previous
        response.previous_start_time.FromDatetime(plan.previous.start)
        response.previous_end_time.FromDatetime(plan.previous.end)
        if answer.previous != 0:
            response.change.CopyFrom(wrappers_pb2.DoubleValue(value=(answer.value - answer.previous) / answer.previous))
    for start, value in answer.buckets:  # bucket starts are whole seconds
        response.buckets.add(value=value).start_time.seconds = int(start.timestamp())
    if plan.breakdown:
        limit = min(request.breakdown_limit or DEFAULT_BREAKDOWN_LIMIT, MAX_BREAKDOWN_LIMIT)
        response.breakdown.extend(_breakdown(engine, pool, plan, answer, limit))
    return response
