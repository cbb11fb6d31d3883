"""Service plugin entry point of the dashboards service."""
from __future__ import annotations

from pathlib import Path

from libs.host.plugin import ServicePlugin


def _descriptors():  # noqa: ANN202
    from partneros.dashboards.v1 import dashboards_pb2

    return [dashboards_pb2.DESCRIPTOR.services_by_name["DashboardsService"]]


def _register(server, context) -> None:  # noqa: ANN001
    from partneros.dashboards.v1 import dashboards_pb2_grpc

    from services.dashboards.servicer import DashboardsServicer

    dashboards_pb2_grpc.add_DashboardsServiceServicer_to_server(DashboardsServicer(context), server)


SERVICE = ServicePlugin(name="dashboards", descriptors=_descriptors, register=_register,
                        migrations=Path(__file__).parent / "migrations")
