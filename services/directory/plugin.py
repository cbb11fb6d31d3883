"""Service plugin entry point of the directory service."""
from __future__ import annotations

from libs.host.plugin import ServicePlugin


def _descriptors():  # noqa: ANN202
    from partneros.directory.v1 import directory_pb2

    return [directory_pb2.DESCRIPTOR.services_by_name["DirectoryService"]]


def _register(server, context) -> None:  # noqa: ANN001
    from partneros.directory.v1 import directory_pb2_grpc
    from services.directory.servicer import DirectoryServicer

    directory_pb2_grpc.add_DirectoryServiceServicer_to_server(DirectoryServicer(context), server)


SERVICE = ServicePlugin(name="directory", descriptors=_descriptors, register=_register)
