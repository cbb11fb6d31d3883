"""Limits refused before a request reaches a service (body size, rate), the upstream deadline,
and health: /healthz, /readyz, 503 with Retry-After when a service is down or not configured."""
from __future__ import annotations

import socket
import time

import grpc
import httpx
import pytest

from tests.factories import World, machine_key
from tests.gateway.conftest import auth, running_gateway


def _events(prefix: str, n: int, pad: int = 0) -> dict:
    return {"events": [{"eventId": f"{prefix}-{i}", "name": "limit_probe", "customer": {"externalId": "ext-dist_a"},
                        "properties": {"pad": "x" * pad}} for i in range(n)]}


def _stored(http: httpx.Client, world: World, prefix: str) -> int:
    r = http.post("/v1/events:query", headers=auth(world.admin_token), json={"eventNames": ["limit_probe"], "pageSize": 1000})
    assert r.status_code == 200, r.text
    return sum(1 for e in r.json()["events"] if e["eventId"].startswith(prefix))


def test_body_over_the_limit_is_413_and_nothing_is_stored(gw_host, world: World, http: httpx.Client) -> None:  # noqa: ANN001
    _, key = machine_key(gw_host.context.engine, world.tenant_id)
    with running_gateway(gw_host, max_body_bytes=4096) as url, httpx.Client(base_url=url) as small:
        fits = small.post("/v1/events:ingest", headers=auth(key), json=_events("fits", 2))
        assert fits.status_code == 200 and fits.json()["acceptedCount"] == 2
        big = small.post("/v1/events:ingest", headers=auth(key), json=_events("big", 10, pad=500))
        assert big.status_code == 413
        assert big.json()["error"]["details"][0]["reason"] == "BODY_TOO_LARGE"
        # no Content-Length (chunked): counted while reading
        payload = httpx.Request("POST", "/", json=_events("chunked", 10, pad=500)).content
        chunked = small.post("/v1/events:ingest", headers={**auth(key), "content-type": "application/json"},
                             content=iter([payload[i:i + 1000] for i in range(0, len(payload), 1000)]))
        assert chunked.status_code == 413
    assert _stored(http, world, "fits") == 2
    assert _stored(http, world, "big") == 0 and _stored(http, world, "chunked") == 0


def test_rate_limit_per_credential_is_429_with_retry_after(gw_host, world: World) -> None:  # noqa: ANN001
    other = World.build(gw_host.context.engine, "Other")
    with running_gateway(gw_host, rate_per_second=0.5, rate_burst=2) as url, httpx.Client(base_url=url) as client:
        h = auth(world.admin_token)
        assert [client.get("/v1/me", headers=h).status_code for _ in range(2)] == [200, 200]
        refused = client.post("/v1/partners", headers=h, json={"name": "Must not exist"})
        assert refused.status_code == 429
        assert refused.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
        assert refused.json()["error"]["details"][0]["reason"] == "RATE_LIMITED"
        assert 1 <= int(refused.headers["retry-after"]) <= 2
        # another credential has its own bucket
        assert client.get("/v1/me", headers=auth(other.admin_token)).status_code == 200
        # requests without credentials draw from their address's bucket and are limited too
        anonymous = [client.get("/v1/me").status_code for _ in range(3)]
        assert anonymous == [401, 401, 429]
    with running_gateway(gw_host) as url, httpx.Client(base_url=url) as client:
        names = [p["name"] for p in client.get("/v1/partners", headers=auth(world.admin_token),
                                                params={"pageSize": 1000}).json()["partners"]]
    assert "Must not exist" not in names, "a refused request never reached the service"


def test_refill_lets_the_caller_back_in(gw_host, world: World) -> None:  # noqa: ANN001
    with running_gateway(gw_host, rate_per_second=2, rate_burst=1) as url, httpx.Client(base_url=url) as client:
        h = auth(world.admin_token)
        assert client.get("/v1/me", headers=h).status_code == 200
        assert client.get("/v1/me", headers=h).status_code == 429
        time.sleep(0.6)
        assert client.get("/v1/me", headers=h).status_code == 200


def test_upstream_deadline_is_504(gw_host, world: World) -> None:  # noqa: ANN001
    with running_gateway(gw_host, timeout_seconds=0.000_001) as url, httpx.Client(base_url=url) as client:
        r = client.post("/v1/events:query", headers=auth(world.admin_token), json={})
    assert r.status_code == 504
    assert r.json()["error"]["status"] == "DEADLINE_EXCEEDED"
    assert r.json()["error"]["details"][0]["reason"] == "DEADLINE_EXCEEDED"


def test_healthz_and_readyz(http: httpx.Client) -> None:
    assert http.get("/healthz").json() == {"status": "ok"}
    ready = http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert set(ready.json()["services"]) == {"partneros.directory.v1.DirectoryService",
                                             "partneros.ingest.v1.IngestService",
                                             "partneros.metrics.v1.MetricsService",
                                             "partneros.dashboards.v1.DashboardsService"}
    assert set(ready.json()["services"].values()) == {"SERVING"}


@pytest.fixture
def dead_address() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"127.0.0.1:{port}"  # nothing listens there any more


def test_a_service_that_is_down_is_503_with_retry_after(gw_host, world: World, dead_address: str) -> None:  # noqa: ANN001
    channels: dict[str, grpc.Channel] = {}

    def channel_for(name: str) -> grpc.Channel:
        if name == "metrics":
            return channels.setdefault(name, grpc.insecure_channel(dead_address))
        return gw_host.context.channel(name)

    with running_gateway(gw_host, channel_for=channel_for, timeout_seconds=5) as url, \
            httpx.Client(base_url=url) as client:
        down = client.get("/v1/metrics", headers=auth(world.admin_token))
        assert down.status_code == 503 and down.headers["retry-after"] == "1"
        assert down.json()["error"]["details"][0]["reason"] == "UPSTREAM_UNAVAILABLE"
        assert dead_address not in down.text, "internal addresses stay out of answers"
        assert client.get("/v1/me", headers=auth(world.admin_token)).status_code == 200
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["services"]["partneros.metrics.v1.MetricsService"] == "UNREACHABLE"
    for channel in channels.values():
        channel.close()


def test_a_service_without_address_is_503_and_does_not_block_readiness(gw_host, world: World) -> None:  # noqa: ANN001
    def channel_for(name: str) -> grpc.Channel:
        if name == "dashboards":
            raise LookupError("no address for service 'dashboards'")
        return gw_host.context.channel(name)

    with running_gateway(gw_host, channel_for=channel_for) as url, httpx.Client(base_url=url) as client:
        r = client.get("/v1/dashboards", headers=auth(world.admin_token))
        assert r.status_code == 503 and r.json()["error"]["details"][0]["reason"] == "UPSTREAM_NOT_CONFIGURED"
        ready = client.get("/readyz").json()
        assert ready["status"] == "ready"
        assert ready["services"]["partneros.dashboards.v1.DashboardsService"] == "NOT_CONFIGURED"
