"""Service plugin entry point of the ingest service."""
from __future__ import annotations

from libs.host.plugin import ServicePlugin


def _descriptors():  # noqa: ANN202
    from partneros.ingest.v1 import ingest_pb2

    return [ingest_pb2.DESCRIPTOR.services_by_name["IngestService"]]


def _register(server, context) -> None:  # noqa: ANN001
    from partneros.ingest.v1 import ingest_pb2_grpc

    ingest_pb2_grpc.add_IngestServiceServicer_to_server(ingest_pb2_grpc.IngestServiceServicer(), server)


SERVICE = ServicePlugin(name="ingest", descriptors=_descriptors, register=_register)
