"""The services behind the gateway: which exist, how to call them, whether they answer.

Channels come from the host (HostContext.channel: PARTNEROS_<SERVICE>_ADDR or this process).
Calls use the channel's future API and resolve an asyncio future from gRPC's callback, so the
event loop never blocks and no thread is spent per request.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

import grpc
from google.protobuf.descriptor import ServiceDescriptor
from google.protobuf.message import Message
from grpc_health.v1 import health_pb2

from services.gateway.routes import Route

__all__ = ["Upstreams", "NotConfigured", "discover_services"]

log = logging.getLogger(__name__)

ChannelFor = Callable[[str], grpc.Channel]


class NotConfigured(LookupError):
    """No address is known for the service a route needs."""


def discover_services(exclude: str = "gateway") -> list[tuple[str, ServiceDescriptor]]:
    """(plugin name, service descriptor) of every installed service plugin but the gateway."""
    from libs.plugins import SERVICES, load_plugins

    return [(name, d) for name, plugin in load_plugins(SERVICES).items() if name != exclude
            for d in plugin.descriptors()]


def _settle(grpc_future: grpc.Future, target: asyncio.Future) -> None:
    if target.done():
        return
    if grpc_future.cancelled():
        target.cancel()
        return
    error = grpc_future.exception()
    if error is not None:
        target.set_exception(error)
    else:
        target.set_result(grpc_future.result())


class Upstreams:
    """Calls and health checks against the upstream services, by plugin name."""

    def __init__(self, channel_for: ChannelFor, services: Sequence[tuple[str, ServiceDescriptor]]) -> None:
        self._channel_for = channel_for
        self.services = list(services)
        self._callables: dict[str, grpc.UnaryUnaryMultiCallable] = {}

    def _channel(self, upstream: str) -> grpc.Channel:
        try:
            return self._channel_for(upstream)
        except LookupError as exc:
            raise NotConfigured(str(exc)) from None

    def _callable(self, route: Route) -> grpc.UnaryUnaryMultiCallable:
        found = self._callables.get(route.rpc_path)
        if found is None:
            found = self._channel(route.upstream).unary_unary(
                route.rpc_path, request_serializer=route.request_class.SerializeToString,
                response_deserializer=route.response_class.FromString)
            self._callables[route.rpc_path] = found
        return found

    async def call(self, route: Route, request: Message, *, metadata: Sequence[tuple[str, str]],
                   timeout: float) -> Message:
        """The RPC's response; raises grpc.RpcError as the service answered, NotConfigured if unknown."""
        return await self._await(self._callable(route).future(request, metadata=metadata, timeout=timeout))

    @staticmethod
    async def _await(grpc_future: grpc.Future) -> Any:
        loop = asyncio.get_running_loop()
        target: asyncio.Future = loop.create_future()
        grpc_future.add_done_callback(lambda f: loop.call_soon_threadsafe(_settle, f, target))
        try:
            return await target
        except asyncio.CancelledError:
            grpc_future.cancel()
            raise

    async def health(self, timeout: float) -> dict[str, str]:
        """service full name -> SERVING / NOT_SERVING / SERVICE_UNKNOWN / UNREACHABLE / NOT_CONFIGURED."""

        async def check(upstream: str, service: ServiceDescriptor) -> tuple[str, str]:
            try:
                channel = self._channel(upstream)
            except NotConfigured:
                return service.full_name, "NOT_CONFIGURED"
            check_rpc = channel.unary_unary(
                "/grpc.health.v1.Health/Check",
                request_serializer=health_pb2.HealthCheckRequest.SerializeToString,
                response_deserializer=health_pb2.HealthCheckResponse.FromString)
            try:
                answer = await self._await(check_rpc.future(
                    health_pb2.HealthCheckRequest(service=service.full_name), timeout=timeout))
            except grpc.RpcError as exc:
                log.info("health check of %s failed: %s", service.full_name, exc.code())
                if exc.code() == grpc.StatusCode.NOT_FOUND:  # the peer answers but does not serve it
                    return service.full_name, "SERVICE_UNKNOWN"
                return service.full_name, "UNREACHABLE"
            return service.full_name, health_pb2.HealthCheckResponse.ServingStatus.Name(answer.status)

        results = await asyncio.gather(*(check(u, s) for u, s in self.services))
        return dict(results)
