"""Service plugin entry point of the HTTP gateway.

It serves no gRPC service of its own: `start` runs the HTTP server beside the host's gRPC server,
on PARTNEROS_HTTP_HOST:PARTNEROS_HTTP_PORT (port 0 picks a free one; see `http_url`), and reaches
every other service through the host's channels (PARTNEROS_<SERVICE>_ADDR, or this process).
"""
from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from libs.host.plugin import ServicePlugin

if TYPE_CHECKING:
    from libs.host.context import HostContext
    from services.gateway.config import GatewayConfig
    from services.gateway.server import HttpServer

__all__ = ["SERVICE", "start", "http_url", "bound_port"]

_RUNNING: "weakref.WeakKeyDictionary[HostContext, HttpServer]" = weakref.WeakKeyDictionary()


def start(context: "HostContext", config: "GatewayConfig | None" = None) -> Callable[[], None]:
    """Start the HTTP gateway for `context`'s host; return the function that stops it."""
    from services.gateway.app import Gateway
    from services.gateway.config import GatewayConfig
    from services.gateway.server import HttpServer
    from services.gateway.upstream import Upstreams, discover_services

    gateway = Gateway(Upstreams(context.channel, discover_services()), config or GatewayConfig.from_env())
    server = HttpServer(gateway, context.settings.http_host, context.settings.http_port).start()
    _RUNNING[context] = server

    def stop() -> None:
        _RUNNING.pop(context, None)
        server.stop()

    return stop


def http_url(context: "HostContext") -> str:
    """Base URL of the gateway started for `context` (e.g. http://127.0.0.1:8080)."""
    return _RUNNING[context].url


def bound_port(context: "HostContext") -> int:
    """The port the gateway started for `context` listens on (useful when configured as 0)."""
    return _RUNNING[context].port


SERVICE = ServicePlugin(name="gateway", descriptors=lambda: [], register=lambda server, ctx: None, start=start)
