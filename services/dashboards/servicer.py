"""DashboardsService: CRUD over the store, rendering through the metrics service."""
from __future__ import annotations

import grpc
from google.protobuf import empty_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb
from partneros.dashboards.v1 import dashboards_pb2_grpc
from partneros.metrics.v1 import metrics_pb2, metrics_pb2_grpc

from libs.auth import current_credentials, current_principal
from libs.auth.resolve import scope_for_level
from libs.errors import InvalidArgument, from_rpc_error
from libs.host import HostContext
from libs.pagination import decode_token, encode_token, page_size
from services.dashboards import store
from services.dashboards.access import for_caller, shared_only
from services.dashboards.config import RenderSettings
from services.dashboards.levels import check_level_exists, level_of
from services.dashboards.render import Renderer
from services.dashboards.validate import MAX_NAME, validate_dashboard, validate_level, validate_window
from services.dashboards.widgets.base import where

__all__ = ["DashboardsServicer", "apply_mask", "WRITABLE"]

WRITABLE = ("name", "description", "widgets", "default_level", "default_window", "shared_with_partners")
_METRIC_CHECK_TIMEOUT = 10.0


def apply_mask(current: pb.Dashboard, edit: pb.Dashboard, paths: list[str]) -> pb.Dashboard:
    """`current` with the masked fields (every writable field if `paths` is empty) taken from `edit`."""
    unknown = [p for p in paths if p not in WRITABLE]
    if unknown:
        raise InvalidArgument(f"update_mask names fields that cannot be updated: {unknown}; writable: {list(WRITABLE)}",
                              reason="INVALID_UPDATE_MASK", field="update_mask", paths=",".join(unknown))
    merged = pb.Dashboard()
    merged.CopyFrom(current)
    for path in paths or WRITABLE:
        merged.ClearField(path)
        if path == "widgets":
            merged.widgets.extend(edit.widgets)
        elif path in ("default_level", "default_window"):
            if edit.HasField(path):
                getattr(merged, path).CopyFrom(getattr(edit, path))
        else:
            setattr(merged, path, getattr(edit, path))
    return merged


class DashboardsServicer(dashboards_pb2_grpc.DashboardsServiceServicer):
    """Handlers; errors are raised as libs.errors and mapped by the interceptor."""

    def __init__(self, context: HostContext) -> None:
        self._ctx = context
        self._stub: metrics_pb2_grpc.MetricsServiceStub | None = None
        knobs = RenderSettings.from_env()
        self.renderer = Renderer(self._metrics, concurrency=knobs.concurrency, widget_timeout=knobs.widget_timeout)

    def _metrics(self) -> metrics_pb2_grpc.MetricsServiceStub:
        if self._stub is None:
            self._stub = metrics_pb2_grpc.MetricsServiceStub(self._ctx.channel("metrics"))
        return self._stub

    def _check_new(self, dashboard: pb.Dashboard, before: pb.Dashboard | None = None,
                   recheck_level: bool = False) -> None:
        """Validate, check a new or changed default level (or, `recheck_level`, an unchanged one)
        against the directory, and every newly referenced metric."""
        validate_dashboard(dashboard)
        principal = current_principal()
        tenant = principal.tenant_id
        if before is None or recheck_level or before.default_level != dashboard.default_level:
            check_level_exists(self._ctx.engine, principal, dashboard.default_level, "dashboard.default_level")
        # widgets kept as they were are not re-checked: one whose metric was deleted (forced) stays
        # editable around; a widget new or re-pointed must show a metric that exists
        kept = {(w.id, w.metric_id) for w in before.widgets} if before is not None else set()
        checked: set[str] = set()
        for i, w in enumerate(dashboard.widgets):
            if not w.metric_id or (w.id, w.metric_id) in kept or w.metric_id in checked:
                continue
            try:
                self._metrics().GetMetric(metrics_pb2.GetMetricRequest(metric_id=w.metric_id),
                                          metadata=current_credentials(), timeout=_METRIC_CHECK_TIMEOUT)
            except grpc.RpcError as err:
                if err.code() is grpc.StatusCode.NOT_FOUND:
                    raise InvalidArgument(f"{where(w, i)}: metric {w.metric_id!r} not found", reason="METRIC_NOT_FOUND",
                                          field=f"dashboard.widgets[{i}].metric_id", widget_id=w.id,
                                          metric_id=w.metric_id) from err
                raise from_rpc_error(err) from err
            checked.add(w.metric_id)

    def CreateDashboard(self, request: pb.CreateDashboardRequest, context: grpc.ServicerContext) -> pb.Dashboard:
        dashboard = pb.Dashboard()
        dashboard.CopyFrom(request.dashboard)
        self._check_new(dashboard)
        return store.create(self._ctx.engine, current_principal().tenant_id, dashboard)

    def GetDashboard(self, request: pb.GetDashboardRequest, context: grpc.ServicerContext) -> pb.Dashboard:
        principal = current_principal()
        dashboard = store.get(self._ctx.engine, principal.tenant_id, request.dashboard_id,
                              shared_only=shared_only(principal))
        return for_caller(self._ctx.engine, principal, [dashboard])[0]

    def ListDashboards(self, request: pb.ListDashboardsRequest,
                       context: grpc.ServicerContext) -> pb.ListDashboardsResponse:
        principal = current_principal()
        size = page_size(request.page_size)
        position = decode_token(request.page_token)
        after = None
        if position:
            if position.get("q") != request.query or not isinstance(position.get("k"), str) \
                    or not isinstance(position.get("i"), str):
                raise InvalidArgument("page_token does not belong to this query", reason="INVALID_PAGE_TOKEN",
                                      field="page_token")
            after = (position["k"], position["i"])
        page, resume = store.list_page(self._ctx.engine, principal.tenant_id, size=size, after=after,
                                       query=request.query.strip(), shared_only=shared_only(principal))
        token = encode_token({"k": resume[0], "i": resume[1], "q": request.query}) if resume else ""
        return pb.ListDashboardsResponse(dashboards=for_caller(self._ctx.engine, principal, page),
                                         next_page_token=token)

    def UpdateDashboard(self, request: pb.UpdateDashboardRequest, context: grpc.ServicerContext) -> pb.Dashboard:
        edit = request.dashboard
        if not edit.id:
            raise InvalidArgument("dashboard.id names the dashboard to update", reason="ID_REQUIRED",
                                  field="dashboard.id")
        if edit.version <= 0:
            raise InvalidArgument("send the version your edit is based on (from Get or List)",
                                  reason="VERSION_REQUIRED", field="dashboard.version")
        principal = current_principal()
        tenant = principal.tenant_id
        current = store.get(self._ctx.engine, tenant, edit.id)
        merged = apply_mask(current, edit, list(request.update_mask.paths))
        hidden = for_caller(self._ctx.engine, principal, [current])[0] is not current
        if hidden and not edit.HasField("default_level"):  # a default the editor was not shown stays as it was
            merged.default_level.CopyFrom(current.default_level)
        # A default hidden from the editor and sent back unchanged is checked like any other id they
        # send: else it would be accepted where every other hidden id is refused, naming which it is.
        paths = request.update_mask.paths
        sent = edit.HasField("default_level") and (not paths or "default_level" in paths)
        self._check_new(merged, before=current, recheck_level=hidden and sent)
        updated = store.update_dashboard(self._ctx.engine, tenant, merged, based_on=edit.version)
        return for_caller(self._ctx.engine, principal, [updated])[0]

    def DeleteDashboard(self, request: pb.DeleteDashboardRequest, context: grpc.ServicerContext) -> empty_pb2.Empty:
        store.delete_dashboard(self._ctx.engine, current_principal().tenant_id, request.dashboard_id)
        return empty_pb2.Empty()

    def DuplicateDashboard(self, request: pb.DuplicateDashboardRequest,
                           context: grpc.ServicerContext) -> pb.Dashboard:
        principal = current_principal()
        tenant = principal.tenant_id
        source = store.get(self._ctx.engine, tenant, request.dashboard_id)
        copy = pb.Dashboard()
        copy.CopyFrom(source)
        copy.name = (request.name.strip() or f"{source.name} (copy)")[:MAX_NAME]
        copy.shared_with_partners = False  # a copy is a draft: partners see it only once shared on purpose
        validate_dashboard(copy)
        return for_caller(self._ctx.engine, principal, [store.create(self._ctx.engine, tenant, copy)])[0]

    def RenderDashboard(self, request: pb.RenderDashboardRequest,
                        context: grpc.ServicerContext) -> pb.RenderDashboardResponse:
        principal = current_principal()
        dashboard = for_caller(self._ctx.engine, principal, [store.get(
            self._ctx.engine, principal.tenant_id, request.dashboard_id, shared_only=shared_only(principal))])[0]
        asked = request.level if request.level.kind or request.level.id else dashboard.default_level
        validate_level(asked, "level")
        scope = scope_for_level(self._ctx.engine, asked, principal)
        effective = level_of(scope.level_kind, scope.level_id)
        window = request.window if request.HasField("window") else None
        if window is not None:
            validate_window(window, "window")
        widgets = self.renderer.render(dashboard, level=effective, window=window, time_zone=request.time_zone,
                                       metadata=current_credentials(), time_remaining=context.time_remaining())
        return pb.RenderDashboardResponse(dashboard=dashboard, widgets=widgets, effective_level=effective)
