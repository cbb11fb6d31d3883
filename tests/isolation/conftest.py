"""Fixtures of the leak suite: one all-services host for the package (with the HTTP gateway when
it is installed), a world built once per module in it, and a probe per entry point (gRPC, HTTP)."""
from __future__ import annotations

import time
from collections.abc import Iterator

import grpc
import pytest

from tests.conftest import make_settings, running_host
from tests.isolation.probe import Probe
from tests.isolation.seed import seed
from tests.isolation.transport import GrpcTransport, HttpTransport
from tests.isolation.world import World, build_directory


def gateway_installed() -> bool:
    from libs.plugins import SERVICES, load_plugins

    return "gateway" in load_plugins(SERVICES)


def _wait_http(base_url: str, deadline: float = 15.0) -> bool:
    import httpx

    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1.0).status_code < 500:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    return False


@pytest.fixture(scope="package")
def iso_host(tmp_path_factory: pytest.TempPathFactory, clickhouse_dsn: str):  # noqa: ANN201
    """Every service (and the gateway, when installed) on loopback, SQLite store migrated."""
    with running_host(make_settings(tmp_path_factory.mktemp("isolation"), clickhouse_dsn)) as host:
        yield host


@pytest.fixture(scope="package")
def iso_channel(iso_host) -> Iterator[grpc.Channel]:  # noqa: ANN001
    with grpc.insecure_channel(iso_host.address) as channel:
        yield channel


@pytest.fixture(scope="module")
def world(iso_host, iso_channel) -> World:  # noqa: ANN001
    """Two look-alike tenants, their principals, metrics, dashboards and events (see world.py)."""
    built = build_directory(iso_host.context.engine)
    seed(GrpcTransport(iso_channel), built)
    return built


@pytest.fixture(scope="package")
def http_base(iso_host) -> str | None:  # noqa: ANN001
    """The gateway's base URL, or None while no gateway is installed."""
    if not gateway_installed():
        return None
    from services.gateway.plugin import http_url

    base = http_url(iso_host.context)
    assert _wait_http(base), f"the gateway is installed but does not answer on {base}"
    return base


@pytest.fixture(scope="module")
def probes(world, iso_channel, http_base) -> Iterator[list[Probe]]:  # noqa: ANN001
    """A probe per entry point: gRPC always, HTTP through the gateway once it exists."""
    out = [Probe(world, GrpcTransport(iso_channel))]
    http = HttpTransport(http_base) if http_base else None
    if http is not None:
        out.append(Probe(world, http))
    yield out
    if http is not None:
        http.close()
