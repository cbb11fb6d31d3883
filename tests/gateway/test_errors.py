"""One error shape for every failure, the gRPC -> HTTP status table, and credentials: missing or
invalid -> 401, not permitted -> 403, on every route."""
from __future__ import annotations

import grpc
import httpx
import pytest

from services.gateway.errors import HTTP_STATUS
from tests.factories import World, machine_key, operator, partner_user
from tests.gateway.conftest import auth


def _error(r: httpx.Response, status: int, grpc_status: str, reason: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "status", "message", "details"}
    error = body["error"]
    assert error["code"] == status and error["status"] == grpc_status and error["message"]
    infos = [d for d in error["details"] if d["@type"] == "type.googleapis.com/google.rpc.ErrorInfo"]
    assert len(infos) == 1 and infos[0]["domain"] == "partneros.dev" and isinstance(infos[0]["metadata"], dict)
    if reason:
        assert infos[0]["reason"] == reason, infos
    return infos[0]


def test_status_table() -> None:
    C = grpc.StatusCode
    expected = {C.INVALID_ARGUMENT: 400, C.UNAUTHENTICATED: 401, C.PERMISSION_DENIED: 403, C.NOT_FOUND: 404,
                C.ALREADY_EXISTS: 409, C.ABORTED: 409, C.FAILED_PRECONDITION: 400, C.RESOURCE_EXHAUSTED: 429,
                C.UNAVAILABLE: 503, C.DEADLINE_EXCEEDED: 504, C.UNIMPLEMENTED: 501, C.INTERNAL: 500,
                C.OUT_OF_RANGE: 400, C.CANCELLED: 499, C.UNKNOWN: 500, C.DATA_LOSS: 500, C.OK: 200}
    assert HTTP_STATUS == expected


def test_service_errors_keep_their_error_info(http: httpx.Client, world: World) -> None:
    h = auth(world.admin_token)
    info = _error(http.get("/v1/partners/ptn_doesnotexist", headers=h), 404, "NOT_FOUND")
    assert info["reason"] != "" and info["metadata"]
    invalid = _error(http.post("/v1/metrics", headers=h, json={"name": "X", "aggregation": "median"}),
                     400, "INVALID_ARGUMENT")
    assert invalid["reason"].isupper()
    email = f"dup-{world.tenant_id}@example.com"
    first = http.post("/v1/customers", headers=h, json={"partnerId": world.partners["dist_a"], "email": email})
    assert first.status_code == 200, first.text
    _error(http.post("/v1/customers", headers=h, json={"partnerId": world.partners["dist_a"], "email": email}),
           409, "ALREADY_EXISTS")


def test_malformed_requests_are_refused_by_the_gateway(http: httpx.Client, world: World) -> None:
    h = auth(world.admin_token)
    _error(http.post("/v1/metrics", headers={**h, "content-type": "application/json"}, content=b"{not json"),
           400, "INVALID_ARGUMENT", "INVALID_JSON")
    wrong_type = _error(http.post("/v1/metrics", headers=h, json={"name": 7, "aggregation": "count"}),
                        400, "INVALID_ARGUMENT", "INVALID_REQUEST_FIELD")
    assert wrong_type["metadata"]["field"] == "name"
    _error(http.post("/v1/metrics", headers=h, json={"name": "x", "aggregation": "count", "colour": "red"}),
           400, "INVALID_ARGUMENT", "INVALID_REQUEST_FIELD")
    _error(http.get("/v1/partners", params={"pageSize": "many"}, headers=h), 400, "INVALID_ARGUMENT")
    _error(http.post("/v1/metrics", headers={**h, "content-type": "text/plain"}, content=b"name=x"),
           415, "INVALID_ARGUMENT", "UNSUPPORTED_MEDIA_TYPE")
    _error(http.get("/v1/me", headers=h, params={"x": "1"}), 400, "INVALID_ARGUMENT", "UNKNOWN_QUERY_PARAMETER")
    oneof = _error(http.post("/v1/events:record", headers=h, json={
        "name": "n", "customer": {"customerId": "a", "email": "b@c.d"}}), 400, "INVALID_ARGUMENT")
    assert oneof["metadata"]["field"] == "customer"


def test_unknown_routes_and_methods(http: httpx.Client, world: World) -> None:
    _error(http.get("/v1/nothing-here", headers=auth(world.admin_token)), 404, "NOT_FOUND", "ROUTE_NOT_FOUND")
    r = http.put("/v1/metrics", headers=auth(world.admin_token), json={})
    _error(r, 405, "UNIMPLEMENTED", "METHOD_NOT_ALLOWED")
    assert set(r.headers["allow"].split(", ")) == {"GET", "POST"}


def test_missing_and_invalid_credentials_are_401_on_every_route(http: httpx.Client, gw_host, world: World) -> None:  # noqa: ANN001
    from services.gateway.routes import build_routes
    from services.gateway.upstream import discover_services

    routes = build_routes(discover_services())
    assert len(routes) >= 40
    forged = world.admin_token[:-4] + ("AAAA" if not world.admin_token.endswith("AAAA") else "BBBB")
    for route in routes:
        path = route.template.openapi_path
        for name in route.path_fields:
            path = path.replace("{" + name + "}", "x1")
        body = {} if route.body else None
        missing = http.request(route.http_method, path, json=body)
        _error(missing, 401, "UNAUTHENTICATED", "CREDENTIALS_MISSING")
        assert missing.headers["www-authenticate"] == "Bearer"
        invalid = http.request(route.http_method, path, json=body, headers=auth(forged))
        _error(invalid, 401, "UNAUTHENTICATED", "CREDENTIALS_INVALID")
        basic = http.request(route.http_method, path, json=body, headers={"Authorization": "Basic dXNlcjpwdw=="})
        _error(basic, 401, "UNAUTHENTICATED", "CREDENTIALS_MISSING")


@pytest.mark.parametrize("who", ["machine_key", "partner_user", "manager"])
def test_a_route_the_principal_may_not_call_is_403_everywhere(http: httpx.Client, gw_host, world: World,  # noqa: ANN001
                                                              who: str) -> None:
    from services.gateway.routes import build_routes
    from services.gateway.upstream import discover_services

    engine = gw_host.context.engine
    if who == "machine_key":
        _, token = machine_key(engine, world.tenant_id)
    elif who == "partner_user":
        _, token = partner_user(engine, world.tenant_id, world.partners["res_a1"])
    else:
        _, token = operator(engine, world.tenant_id, role="manager", assigned=(world.partners["dist_a"],))
    me = http.get("/v1/me", headers=auth(token))
    assert me.status_code == 200, me.text
    allowed = set(me.json()["permissions"])
    refused = 0
    for route in build_routes(discover_services()):
        if route.permission in allowed:
            continue
        path = route.template.openapi_path
        for name in route.path_fields:
            path = path.replace("{" + name + "}", "x1")
        r = http.request(route.http_method, path, json={} if route.body else None, headers=auth(token))
        _error(r, 403, "PERMISSION_DENIED", "PERMISSION_MISSING")
        refused += 1
    assert refused >= 5
