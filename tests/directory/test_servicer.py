"""Every RPC of the DirectoryService contract is served by a handler (none falls back to UNIMPLEMENTED)."""
from __future__ import annotations

from partneros.directory.v1 import directory_pb2

from services.directory.servicer import ROUTES, DirectoryServicer


def test_every_rpc_has_a_route_and_a_servicer_method() -> None:
    methods = {m.name for m in directory_pb2.DESCRIPTOR.services_by_name["DirectoryService"].methods}
    assert set(ROUTES) == methods
    for name in methods:
        assert getattr(DirectoryServicer, name).__qualname__ == name  # ours, not the generated UNIMPLEMENTED stub
