"""Fixtures of the gateway tests: one host of every service per package, gateways started on it
with chosen limits (free loopback ports), and HTTP clients."""
from __future__ import annotations

import pathlib
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from tests.conftest import make_settings, running_host
from tests.factories import World


@pytest.fixture(scope="package")
def gw_host(tmp_path_factory: pytest.TempPathFactory, clickhouse_dsn: str):  # noqa: ANN201
    """directory, ingest, metrics and dashboards in one server on a free port (no gateway of its own)."""
    settings = make_settings(tmp_path_factory.mktemp("gateway"), clickhouse_dsn)
    with running_host(settings, "directory,ingest,metrics,dashboards") as host:
        yield host


@contextmanager
def running_gateway(host, channel_for=None, **limits: object) -> Iterator[str]:  # noqa: ANN001
    """A gateway in front of `host` (or of `channel_for`'s channels) with `limits`; yields its base URL."""
    from services.gateway.app import Gateway
    from services.gateway.config import GatewayConfig
    from services.gateway.server import HttpServer
    from services.gateway.upstream import Upstreams, discover_services

    config = GatewayConfig(**{"rate_per_second": 0.0, **limits})
    gateway = Gateway(Upstreams(channel_for or host.context.channel, discover_services()), config)
    server = HttpServer(gateway, "127.0.0.1", 0).start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="package")
def base_url(gw_host) -> Iterator[str]:  # noqa: ANN001
    """A gateway without rate limiting (the limit tests start their own)."""
    with running_gateway(gw_host) as url:
        yield url


@pytest.fixture
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


@pytest.fixture
def world(gw_host) -> World:  # noqa: ANN001
    """A fresh tenant with a three-level partner tree and a customer per partner."""
    return World.build(gw_host.context.engine)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


ROOT = pathlib.Path(__file__).resolve().parents[2]
