"""QueryEvents: the events at the caller's effective scope, newest first, a page at a time."""
from __future__ import annotations

import datetime as dt

from partneros.metrics.v1 import metrics_pb2

from libs.auth.principal import Principal
from libs.auth.resolve import scope_for_level
from libs.errors import InvalidArgument
from libs.pagination import decode_token, encode_token, page_size
from libs.payload import payload_fields
from services.metrics.compiler import CompileContext, build_events_select, print_select, resolve_events
from services.metrics.compiler.resolve import Cursor, EventsPlan
from services.metrics.compiler.windows import EARLIEST, Mode, WindowSpec
from services.metrics.compiler.validate import validate_event_names, validate_filter_groups
from services.metrics.customer_names import customer_names
from services.metrics.definitions import groups_from_proto
from services.metrics.execute import run
from services.metrics.query_metric import require_as_of_for_as_seen, window_spec
from services.metrics.tenancy import tenant_calendar

__all__ = ["query_events", "plan_events_query", "compile_events"]

UTC = dt.timezone.utc


def _cursor(token: str) -> Cursor | None:
    position = decode_token(token)
    if not position:
        return None
    try:
        return Cursor(dt.datetime.fromtimestamp(int(position["t"]) / 1000, UTC), str(position["e"]), str(position["c"]))
    except (KeyError, TypeError, ValueError, OverflowError):
        raise InvalidArgument("page_token is not a token this service issued", reason="INVALID_PAGE_TOKEN",
                              field="page_token") from None


def _utc(t: dt.datetime) -> dt.datetime:
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def plan_events_query(engine, principal: Principal, request: metrics_pb2.QueryEventsRequest) -> EventsPlan:  # noqa: ANN001
    """The plan of one page (one row more than the page, to know whether another follows)."""
    require_as_of_for_as_seen(request)
    limit = page_size(request.page_size)
    names = validate_event_names(list(request.event_names), "event_names")
    groups = validate_filter_groups(groups_from_proto(request.filter_groups), "filter_groups")
    after = _cursor(request.page_token)
    scope = scope_for_level(engine, request.level if request.HasField("level") else None, principal)
    time_zone, week_start = tenant_calendar(engine, principal.tenant_id)
    now = request.as_of_time.ToDatetime(UTC) if request.HasField("as_of_time") else dt.datetime.now(UTC)
    window = window_spec(request.window) if request.HasField("window") else None
    if window is None and request.HasField("as_of_time"):  # the list as it stood then: nothing after it
        window = WindowSpec(mode=Mode.RANGE, start=EARLIEST, end=now)
    return resolve_events(scope=scope, event_names=names, filter_groups=groups, window=window,
                          time_zone=request.time_zone or time_zone, week_start=week_start, now=now,
                          limit=limit + 1, after=after, as_seen=request.as_seen)


def compile_events(plan: EventsPlan) -> tuple[str, dict]:
    ctx = CompileContext(plan.scope)
    return print_select(build_events_select(plan), ctx), ctx.params


def query_events(engine, pool, principal: Principal, request: metrics_pb2.QueryEventsRequest) -> metrics_pb2.QueryEventsResponse:  # noqa: ANN001
    plan = plan_events_query(engine, principal, request)
    limit = plan.limit - 1
    rows = run(pool, *compile_events(plan)).rows
    names = customer_names(engine, plan.scope, (row["customer_id"] for row in rows[:limit]))
    response = metrics_pb2.QueryEventsResponse()
    for row in rows[:limit]:
        event = response.events.add(event_id=row["event_id"], name=row["name"], customer_id=row["customer_id"],
                                    customer_name=names.get(row["customer_id"], ""), partner_id=row["partner_id"],
                                    source=row["source"], **payload_fields(row["properties"]))
        event.timestamp.FromDatetime(_utc(row["ts"]))
        event.receive_time.FromDatetime(_utc(row["received_at"]))
    if len(rows) > limit:
        last = rows[limit - 1]
        millis = int(_utc(last["ts"]).timestamp() * 1000 + 0.5)
        response.next_page_token = encode_token({"t": millis, "e": last["event_id"], "c": last["customer_id"]})
    return response
