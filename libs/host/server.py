"""Build and run one gRPC server hosting a chosen group of services."""
from __future__ import annotations

import logging
import signal
import threading
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from libs.config import Settings
from libs.host.context import HostContext
from libs.host.plugin import ServicePlugin
from libs.interceptor import ScopeInterceptor, method_permissions
from libs.plugins import SERVICES, load_plugins

__all__ = ["Host", "create_server", "resolve_services"]

log = logging.getLogger(__name__)


def resolve_services(spec: str | list[str]) -> list[ServicePlugin]:
    """'all' or a comma list of service names -> their plugins (unknown names refused)."""
    available = {name: p for name, p in load_plugins(SERVICES).items()}
    names = spec.split(",") if isinstance(spec, str) else list(spec)
    names = [n.strip() for n in names if n.strip()]
    if names == ["all"]:
        return list(available.values())
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ValueError(f"unknown service(s) {unknown}; available: {sorted(available)}")
    return [available[n] for n in names]


class Host:
    """A running server, its health servicer and its context."""

    def __init__(self, server: grpc.Server, port: int, health_servicer: health.HealthServicer,
                 context: HostContext, plugins: list[ServicePlugin]) -> None:
        self.server, self.port, self.health, self.context, self.plugins = server, port, health_servicer, context, plugins
        self.stoppers: list = []  # stop functions of plugins' side servers (the HTTP gateway)

    @property
    def address(self) -> str:
        return f"{self.context.settings.grpc_host}:{self.port}"

    def stop(self, grace: float = 10.0) -> None:
        """Flip health to NOT_SERVING, stop front doors (HTTP) first, let in-flight calls finish, then stop."""
        self.health.enter_graceful_shutdown()
        for stop in reversed(self.stoppers):
            stop()
        self.server.stop(grace).wait()
        self.context.close()

    def wait_for_termination(self) -> None:
        """Serve until SIGTERM or SIGINT, then stop gracefully."""
        stopped = threading.Event()

        def _on_signal(signum, _frame) -> None:  # noqa: ANN001
            log.info("signal %s: shutting down gracefully", signum)
            stopped.set()

        signal.signal(signal.SIGTERM, _on_signal)
        signal.signal(signal.SIGINT, _on_signal)
        stopped.wait()
        self.stop()


def create_server(address: str, *, services: str | list[str] = "all", settings: Settings | None = None,
                  max_workers: int = 32) -> Host:
    """A started server on `address` ('host:0' picks a free port) hosting `services`."""
    from libs.identity.authenticate import Authenticator

    settings = settings or Settings.from_env()
    plugins = resolve_services(services)
    context = HostContext(settings, frozenset(p.name for p in plugins))
    descriptors = [d for p in plugins for d in p.descriptors()]
    interceptor = ScopeInterceptor(Authenticator(context.engine), method_permissions(descriptors))
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="rpc"),
        interceptors=[interceptor],
        options=[("grpc.max_receive_message_length", 64 << 20), ("grpc.so_reuseport", 0)],
    )
    health_servicer = health.HealthServicer(experimental_non_blocking=True)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    port = server.add_insecure_port(address)
    if port == 0:
        raise OSError(f"could not bind {address}")
    host_part = address.rsplit(":", 1)[0]
    context.local_address = f"{host_part}:{port}"
    for plugin in plugins:
        plugin.register(server, context)
    names = [d.full_name for d in descriptors]
    reflection.enable_server_reflection([*names, reflection.SERVICE_NAME, health.SERVICE_NAME], server)
    server.start()
    host = Host(server, port, health_servicer, context, plugins)
    for plugin in plugins:
        if plugin.start is not None:
            host.stoppers.append(plugin.start(context))
    for name in ["", *names]:
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    log.info("serving %s on %s", [p.name for p in plugins], context.local_address)
    return host
