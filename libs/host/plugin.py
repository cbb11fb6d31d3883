"""What a service plugin provides to the host."""
from __future__ import annotations

import pathlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import grpc
from google.protobuf.descriptor import ServiceDescriptor

if TYPE_CHECKING:
    from libs.host.context import HostContext

__all__ = ["ServicePlugin"]


@dataclass(frozen=True, kw_only=True)
class ServicePlugin:
    """A service: its proto services, how to add its servicers, and its migrations folder."""

    name: str
    descriptors: Callable[[], list[ServiceDescriptor]]
    register: Callable[[grpc.Server, "HostContext"], None]
    migrations: pathlib.Path | None = None
    # Something to run beside the gRPC servicers (the HTTP gateway): started after the server
    # is bound, returns the function that stops it.
    start: Callable[["HostContext"], Callable[[], None]] | None = None
