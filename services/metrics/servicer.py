"""The MetricsService servicer: thin handlers over the store and the query functions."""
from __future__ import annotations

from google.protobuf import empty_pb2
from partneros.metrics.v1 import metrics_pb2, metrics_pb2_grpc

from libs.auth import current_principal
from libs.errors import FailedPrecondition, InvalidArgument
from libs.pagination import decode_token, encode_token, page_size
from services.metrics import store
from services.metrics.aggregations import registry
from services.metrics.definitions import apply_mask, definition_from_proto, to_proto, validate_definition
from services.metrics.execute import ENGINE_TIME_KEY, engine_timer
from services.metrics.query_events import query_events
from services.metrics.query_metric import query_metric

__all__ = ["MetricsServicer"]


def _required(value: str, field: str) -> str:
    if not value:
        raise InvalidArgument(f"{field} is required", reason="FIELD_REQUIRED", field=field)
    return value


def _proto(row) -> metrics_pb2.Metric:  # noqa: ANN001 - MetricRow
    return to_proto(row.id, store.definition_of(row), row.version, row.create_time, row.update_time)


class MetricsServicer(metrics_pb2_grpc.MetricsServiceServicer):
    """Definitions CRUD and queries; the interceptor has already checked the permission."""

    def __init__(self, context) -> None:  # noqa: ANN001 - libs.host.HostContext
        self._context = context

    @property
    def _engine(self):  # noqa: ANN202
        return self._context.engine

    def CreateMetric(self, request, context):  # noqa: ANN001, N802
        principal = current_principal()
        definition, _ = validate_definition(definition_from_proto(request.metric), registry())
        return _proto(store.create(self._engine, principal.tenant_id, definition))

    def GetMetric(self, request, context):  # noqa: ANN001, N802
        metric_id = _required(request.metric_id, "metric_id")
        return _proto(store.get(self._engine, current_principal().tenant_id, metric_id))

    def ListMetrics(self, request, context):  # noqa: ANN001, N802
        limit = page_size(request.page_size)
        position = decode_token(request.page_token)
        after = None
        if position:
            if not isinstance(position.get("k"), str) or not isinstance(position.get("i"), str):
                raise InvalidArgument("page_token is not a token this service issued", reason="INVALID_PAGE_TOKEN",
                                      field="page_token")
            after = (position["k"], position["i"])
        rows = store.list_page(self._engine, current_principal().tenant_id, limit + 1, after)
        response = metrics_pb2.ListMetricsResponse(metrics=[_proto(r) for r in rows[:limit]])
        if len(rows) > limit:
            response.next_page_token = encode_token({"k": rows[limit - 1].name_key, "i": rows[limit - 1].id})
        return response

    def UpdateMetric(self, request, context):  # noqa: ANN001, N802
        tenant_id = current_principal().tenant_id
        row = store.get(self._engine, tenant_id, _required(request.metric.id, "metric.id"))
        merged = apply_mask(store.definition_of(row), definition_from_proto(request.metric),
                            request.update_mask.paths if request.HasField("update_mask") else ())
        definition, _ = validate_definition(merged, registry())
        return _proto(store.replace(self._engine, tenant_id, row.id, definition, row.version))

    def DeleteMetric(self, request, context):  # noqa: ANN001, N802
        from services.dashboards.usage import dashboards_using_metric

        tenant_id = current_principal().tenant_id
        row = store.get(self._engine, tenant_id, _required(request.metric_id, "metric_id"))
        used = dashboards_using_metric(self._engine, tenant_id, row.id)
        if used and not request.force:
            names = ", ".join(name for _, name in used)
            raise FailedPrecondition(f"metric {row.name!r} is used by dashboards: {names}; pass force to delete it",
                                     reason="METRIC_IN_USE", dashboards=names,
                                     dashboard_ids=",".join(i for i, _ in used))
        store.remove(self._engine, tenant_id, row.id)
        return empty_pb2.Empty()

    def QueryMetric(self, request, context):  # noqa: ANN001, N802
        _required(request.metric_id, "metric_id")
        with engine_timer() as spent:
            response = query_metric(self._engine, self._context.clickhouse, current_principal(), request)
        _report(context, spent)
        return response

    def QueryEvents(self, request, context):  # noqa: ANN001, N802
        with engine_timer() as spent:
            response = query_events(self._engine, self._context.clickhouse, current_principal(), request)
        _report(context, spent)
        return response


def _report(context, spent: list[float]) -> None:  # noqa: ANN001
    context.set_trailing_metadata(((ENGINE_TIME_KEY, f"{sum(spent) * 1000:.2f}"),))
