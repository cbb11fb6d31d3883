"""What the host hands to the services it runs: settings, stores and channels to peers."""
from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cached_property

import grpc
from sqlalchemy import Engine

from libs.clickhouse import ClientPool, ensure_schema
from libs.config import Settings
from libs.store import make_engine

__all__ = ["HostContext"]


class HostContext:
    """Shared, lazily created resources of one host process."""

    def __init__(self, settings: Settings, hosted: frozenset[str]) -> None:
        self.settings = settings
        self.hosted = hosted
        self.local_address: str | None = None  # set once the server is bound
        self._channels: dict[str, grpc.Channel] = {}
        self._lock = threading.Lock()
        self._shutdown: list[Callable[[], None]] = []

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def clickhouse(self) -> ClientPool:
        pool = ClientPool(self.settings.clickhouse_dsn, size=self.settings.clickhouse_pool_size)
        with pool.client() as client:
            ensure_schema(client)
        self.on_shutdown(pool.close)
        return pool

    def address_of(self, service: str) -> str:
        """Where `service` is served: its configured address, or this process."""
        if service in self.settings.service_addresses:
            return self.settings.service_addresses[service]
        if service in self.hosted and self.local_address:
            return self.local_address
        raise LookupError(f"no address for service {service!r}: set PARTNEROS_{service.upper()}_ADDR")

    def channel(self, service: str) -> grpc.Channel:
        """A shared channel to the process serving `service` (round-robin over its addresses)."""
        with self._lock:
            if service not in self._channels:
                options = [("grpc.lb_policy_name", "round_robin"), ("grpc.max_receive_message_length", 64 << 20)]
                self._channels[service] = grpc.insecure_channel(self.address_of(service), options=options)
            return self._channels[service]

    def on_shutdown(self, callback: Callable[[], None]) -> None:
        self._shutdown.append(callback)

    def close(self) -> None:
        for callback in reversed(self._shutdown):
            callback()
        for channel in self._channels.values():
            channel.close()
