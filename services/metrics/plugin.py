"""Service plugin entry point of the metrics service."""
from __future__ import annotations

import pathlib

from libs.host.plugin import ServicePlugin


def _descriptors():  # noqa: ANN202
    from partneros.metrics.v1 import metrics_pb2

    return [metrics_pb2.DESCRIPTOR.services_by_name["MetricsService"]]


def _register(server, context) -> None:  # noqa: ANN001
    from partneros.metrics.v1 import metrics_pb2_grpc

    from services.metrics.servicer import MetricsServicer

    metrics_pb2_grpc.add_MetricsServiceServicer_to_server(MetricsServicer(context), server)


SERVICE = ServicePlugin(name="metrics", descriptors=_descriptors, register=_register,
                        migrations=pathlib.Path(__file__).parent / "migrations")
