"""The gateway as a service plugin: part of "all", bound where the settings say, stopped with the host."""
from __future__ import annotations

import socket

import httpx

from libs.plugins import SERVICES, load_plugins
from services.gateway.plugin import bound_port, http_url


def test_all_in_one_host_serves_http_beside_grpc(host, tenant) -> None:  # noqa: ANN001
    assert "gateway" in [p.name for p in host.plugins]
    assert load_plugins(SERVICES)["gateway"].descriptors() == []
    url = http_url(host.context)
    assert url == f"http://127.0.0.1:{bound_port(host.context)}" and bound_port(host.context) != 0
    me = httpx.get(f"{url}/v1/me", headers={"Authorization": f"Bearer {tenant.token}"}, timeout=10)
    assert me.status_code == 200 and me.json()["tenantId"] == tenant.tenant_id
    assert httpx.get(f"{url}/readyz", timeout=10).json()["status"] == "ready"


def test_stopping_the_host_frees_the_http_port(settings) -> None:  # noqa: ANN001
    from libs.host import create_server
    from libs.store import make_engine, migrate

    migrate(make_engine(settings.database_url))
    h = create_server("127.0.0.1:0", services="directory,gateway", settings=settings)
    port = bound_port(h.context)
    assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10).status_code == 200
    h.stop(grace=1)
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))  # free again


def test_keep_alive_requests_are_not_held_back(base_url: str) -> None:
    """Responses go out at once (TCP_NODELAY): without it every request on a kept-alive
    connection waits for the client's delayed ACK, ~40 ms each."""
    import time

    with httpx.Client(base_url=base_url) as client:
        client.get("/healthz")
        start = time.perf_counter()
        for _ in range(20):
            assert client.get("/healthz").status_code == 200
        assert time.perf_counter() - start < 0.6
