"""Service plugin entry point of the ingest service."""
from __future__ import annotations

from pathlib import Path

from libs.host.plugin import ServicePlugin


def _descriptors():  # noqa: ANN202
    from partneros.ingest.v1 import ingest_pb2

    return [ingest_pb2.DESCRIPTOR.services_by_name["IngestService"]]


def _register(server, context) -> None:  # noqa: ANN001
    from services.ingest.rail import IngestRail
    from services.ingest.servicer import SERVICE_NAME, IngestServicer, generic_handler

    rail = IngestRail(context.engine, lambda: context.clickhouse)
    context.on_shutdown(rail.close)
    generic, handlers = generic_handler(IngestServicer(rail, context.engine))
    server.add_generic_rpc_handlers((generic,))
    server.add_registered_method_handlers(SERVICE_NAME, handlers)


SERVICE = ServicePlugin(name="ingest", descriptors=_descriptors, register=_register,
                        migrations=Path(__file__).parent / "migrations")
