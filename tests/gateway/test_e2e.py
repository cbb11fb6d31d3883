"""End to end over HTTP, every part its own process on loopback: the gateway, the directory,
ingest+metrics (one process owns the chDB path) and dashboards, sharing the PostgreSQL store.

An admin builds the program (partners, customers, a partner user with a token, a machine key),
a partner system ingests events with the key, the admin defines a metric and a dashboard shared
with partners, and the dashboard is rendered as the admin (whole program, one partner) and as the
partner user (forced onto their own slice whatever they ask).
"""
from __future__ import annotations

import pathlib
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from libs.store import make_engine, migrate
from services.directory.bootstrap import create_tenant
from tests.processes import base_env, serve

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

RANGE = {"mode": "WINDOW_MODE_RANGE", "startTime": "2025-05-01T00:00:00Z", "endTime": "2025-06-01T00:00:00Z"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, postgres_url: str) -> Iterator[str]:
    """The four processes; yields the gateway's base URL once it is ready."""
    root = tmp_path_factory.mktemp("e2e")
    migrate(make_engine(postgres_url))

    def env(name: str, **peers: str) -> dict[str, str]:
        out = base_env(root / name, database_url=postgres_url)
        out.update({f"PARTNEROS_{k.upper()}_ADDR": v for k, v in peers.items()})
        return out

    with serve("directory", env("directory")) as directory, \
            serve("ingest,metrics", env("events", directory=directory.address)) as events, \
            serve("dashboards", env("dashboards", directory=directory.address, metrics=events.address)) as dashboards:
        port = _free_port()
        gateway_env = env("gateway", directory=directory.address, ingest=events.address, metrics=events.address,
                          dashboards=dashboards.address)
        gateway_env.update(PARTNEROS_HTTP_HOST="127.0.0.1", PARTNEROS_HTTP_PORT=str(port))
        with serve("gateway", gateway_env):
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "the gateway never became ready"
                time.sleep(0.2)
            yield url


def _ok(response: httpx.Response) -> dict:
    assert response.status_code == 200, (response.request.method, response.request.url, response.text)
    return response.json()


def test_whole_flow_over_http(stack: str, postgres_url: str) -> None:
    admin = create_tenant(make_engine(postgres_url), name="E2E Program", admin_email="ops@e2e.example")
    a = {"Authorization": f"Bearer {admin.token}"}
    with httpx.Client(base_url=stack, timeout=30) as http:
        assert _ok(http.get("/readyz"))["status"] == "ready"
        # -- the program
        dist = _ok(http.post("/v1/partners", headers=a, json={"name": "Distributor"}))
        reseller = _ok(http.post("/v1/partners", headers=a, json={"name": "Reseller", "parentId": dist["id"]}))
        rival = _ok(http.post("/v1/partners", headers=a, json={"name": "Rival"}))
        mine = _ok(http.post("/v1/customers", headers=a, json={
            "partnerId": reseller["id"], "externalId": "crm-1", "email": "buyer@shop.example", "name": "Shop"}))
        theirs = _ok(http.post("/v1/customers", headers=a, json={"partnerId": rival["id"], "externalId": "crm-2"}))
        user = _ok(http.post("/v1/partnerUsers", headers=a, json={"partnerId": dist["id"], "email": "pu@dist.example"}))
        user_token = _ok(http.post("/v1/personalTokens", headers=a, json={"subjectId": user["id"]}))["secret"]
        key = _ok(http.post("/v1/machineKeys", headers=a, json={"displayName": "CRM", "scopes": ["events:write"]}))
        # -- a partner system sends events with the key
        k = {"Authorization": f"Bearer {key['secret']}"}
        batch = [
            {"eventId": "e1", "name": "purchase", "customer": {"externalId": "crm-1"},
             "timestamp": "2025-05-03T10:00:00Z", "properties": {"amount": 100, "plan": {"tier": "pro"}}},
            {"eventId": "e2", "name": "purchase", "customer": {"email": "BUYER@shop.example "},
             "timestamp": "2025-05-20T10:00:00Z", "properties": {"amount": 50.5}},
            {"eventId": "e3", "name": "purchase", "customer": {"customerId": theirs["id"]},
             "timestamp": "2025-05-21T10:00:00Z", "properties": {"amount": 1000}},
            {"eventId": "e4", "name": "purchase", "customer": {"externalId": "nobody"},
             "timestamp": "2025-05-22T10:00:00Z", "properties": {"amount": 7}},
        ]
        result = _ok(http.post("/v1/events:ingest", headers=k, json={"events": batch}))
        assert (result["acceptedCount"], result["quarantinedCount"]) == (3, 1)
        again = _ok(http.post("/v1/events:ingest", headers=k, json={"events": batch[:1]}))
        assert again["duplicateCount"] == 1
        assert http.get("/v1/partners", headers=k).status_code == 403  # a key writes events, reads nothing
        # -- a metric and a dashboard
        metric = _ok(http.post("/v1/metrics", headers=a, json={
            "name": "Revenue", "aggregation": "sum", "field": "amount", "eventNames": ["purchase"], "unit": "EUR"}))
        dashboard = _ok(http.post("/v1/dashboards", headers=a, json={
            "name": "Partner revenue", "sharedWithPartners": True, "defaultWindow": RANGE,
            "widgets": [
                {"id": "total", "type": "metric", "title": "Revenue", "metricId": metric["id"],
                 "position": {"x": 0, "y": 0, "w": 4, "h": 2}},
                {"id": "trend", "type": "timeseries", "title": "Revenue by month", "metricId": metric["id"],
                 "grain": "GRAIN_MONTH", "position": {"x": 4, "y": 0, "w": 8, "h": 4}},
                {"id": "latest", "type": "event_list", "title": "Latest", "columns": ["amount"], "limit": 10,
                 "position": {"x": 0, "y": 4, "w": 12, "h": 4}},
            ]}))

        def render(headers: dict[str, str], level: dict | None = None) -> dict[str, dict]:
            body = {"level": level} if level else {}
            rendered = _ok(http.post(f"/v1/dashboards/{dashboard['id']}:render", headers=headers, json=body))
            widgets = {w["widgetId"]: w for w in rendered["widgets"]}
            assert all(w["errorCode"] == "" for w in widgets.values()), widgets
            return widgets

        everything = render(a, {"kind": "LEVEL_KIND_ALL_PARTNERS"})
        assert everything["total"]["data"]["value"] == 1150.5
        assert len(everything["latest"]["data"]["events"]) == 3
        at_dist = render(a, {"kind": "LEVEL_KIND_PARTNER", "id": dist["id"]})
        assert at_dist["total"]["data"]["value"] == 150.5
        # -- the partner user sees their own slice, whatever they ask for
        u = {"Authorization": f"Bearer {user_token}"}
        assert _ok(http.get("/v1/me", headers=u))["partnerId"] == dist["id"]
        for asked in (None, {"kind": "LEVEL_KIND_ALL_PARTNERS"}):
            theirs_view = render(u, asked)
            assert theirs_view["total"]["data"]["value"] == 150.5
            rows = theirs_view["latest"]["data"]["events"]  # a Struct: its keys are the widget's own
            assert {e["customer_id"] for e in rows} == {mine["id"]}
            assert sorted(e["values"]["amount"] for e in rows) == [50.5, 100]
        sibling = _ok(http.post(f"/v1/dashboards/{dashboard['id']}:render", headers=u,
                                json={"level": {"kind": "LEVEL_KIND_PARTNER", "id": rival["id"]}}))
        assert sibling["effectiveLevel"] == {"kind": "LEVEL_KIND_PARTNER", "id": dist["id"]}
        assert {w["widgetId"]: w for w in sibling["widgets"]}["total"]["data"]["value"] == 150.5
        assert http.post("/v1/metrics", headers=u, json={"name": "x", "aggregation": "count"}).status_code == 403
        # -- the quarantined event is replayed once its customer exists
        _ok(http.post("/v1/customers", headers=a, json={"partnerId": rival["id"], "externalId": "nobody"}))
        replayed = _ok(http.post("/v1/quarantinedEvents:replay", headers=a, json={}))
        assert replayed["replayedCount"] == 1
        assert render(a, {"kind": "LEVEL_KIND_ALL_PARTNERS"})["total"]["data"]["value"] == 1157.5
