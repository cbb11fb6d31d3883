"""Service plugin entry point of the metrics service."""
from __future__ import annotations

from libs.host.plugin import ServicePlugin


def _descriptors():  # noqa: ANN202
    from partneros.metrics.v1 import metrics_pb2

    return [metrics_pb2.DESCRIPTOR.services_by_name["MetricsService"]]


def _register(server, context) -> None:  # noqa: ANN001
    from partneros.metrics.v1 import metrics_pb2_grpc

    metrics_pb2_grpc.add_MetricsServiceServicer_to_server(metrics_pb2_grpc.MetricsServiceServicer(), server)


SERVICE = ServicePlugin(name="metrics", descriptors=_descriptors, register=_register)
