"""Path templates, the route table derived from the protos, and the token bucket."""
from __future__ import annotations

import pytest
from google.api import annotations_pb2

from services.gateway.httprule import TemplateError, parse_template
from services.gateway.limits import RateLimiter, rate_key
from services.gateway.routes import Router, build_routes
from services.gateway.upstream import discover_services


def test_templates_with_verbs_nested_variables_and_patterns() -> None:
    t = parse_template("/v1/metrics/{metric_id}:query")
    assert t.variables == ("metric_id",) and t.verb == "query"
    assert t.match("/v1/metrics/met_1:query") == {"metric_id": "met_1"}
    assert t.match("/v1/metrics/met_1") is None and t.match("/v1/metrics/a/b:query") is None
    nested = parse_template("/v1/partners/{partner.id}")
    assert nested.match("/v1/partners/ptn%2F1%20x") == {"partner.id": "ptn/1 x"}  # decoded after matching
    pattern = parse_template("/v1/{name=tenants/*/files/**}:download")
    assert pattern.match("/v1/tenants/t1/files/a/b.csv:download") == {"name": "tenants/t1/files/a/b.csv"}
    assert pattern.openapi_path == "/v1/{name}:download"
    assert parse_template("/v1/events:ingest").match("/v1/events:ingest") == {}
    for bad in ["v1/x", "/v1/{bad-name}", "/v1/x:", "/v1/{a=}"]:
        with pytest.raises(TemplateError):
            parse_template(bad)


def test_every_rpc_of_every_service_is_routed_from_its_annotation() -> None:
    services = discover_services()
    routes = build_routes(services)
    rpcs = {f"/{s.full_name}/{m.name}" for _, s in services for m in s.methods}
    assert {r.rpc_path for r in routes} == rpcs
    for route in routes:
        rule = route.method.GetOptions().Extensions[annotations_pb2.http]
        assert getattr(rule, route.http_method.lower()) == route.template.source
        assert route.permission, f"{route.rpc_path} declares no permission"
    assert {u for u, _ in services} == {"directory", "ingest", "metrics", "dashboards"}


def test_no_two_routes_answer_the_same_request() -> None:
    routes = build_routes(discover_services())
    router = Router(routes)
    for route in routes:
        path = route.template.source
        for var in route.template.variables:
            path = path.replace("{" + var + "}", "abc")
        found, variables, _ = router.find(route.http_method, path)
        assert found is route, (route.rpc_path, path, found and found.rpc_path)
        assert set(variables) == set(route.template.variables)


def test_query_parameters_are_the_fields_not_bound_elsewhere() -> None:
    by_rpc = {r.rpc_path: r for r in build_routes(discover_services())}
    query = by_rpc["/partneros.metrics.v1.MetricsService/QueryMetric"]
    assert query.body == "*" and query.query_params == {}
    update = by_rpc["/partneros.metrics.v1.MetricsService/UpdateMetric"]
    assert set(update.query_params) == {"updateMask", "update_mask"}
    listing = by_rpc["/partneros.directory.v1.DirectoryService/ListPartners"]
    assert {"pageSize", "page_size", "pageToken", "parentId"} <= set(listing.query_params)
    get = by_rpc["/partneros.metrics.v1.MetricsService/GetMetric"]
    assert "metricId" not in get.query_params and "metric_id" in get.path_fields


def test_token_bucket() -> None:
    now = [100.0]
    limiter = RateLimiter(rate=2.0, burst=3, max_keys=2, clock=lambda: now[0])
    assert [limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.acquire("a") == pytest.approx(0.5)
    assert RateLimiter.retry_after(0.5) == "1" and RateLimiter.retry_after(2.1) == "3"
    now[0] += 0.5
    assert limiter.acquire("a") == 0.0 and limiter.acquire("a") > 0
    assert limiter.acquire("b") == 0.0
    limiter.acquire("c")  # a third key evicts the least recently used ("a"): it starts full again
    assert limiter.acquire("a") == 0.0
    assert not RateLimiter(rate=0, burst=1).enabled and RateLimiter(rate=0, burst=1).acquire("x") == 0.0
    assert rate_key("secret", "1.2.3.4").startswith("tok:") and "secret" not in rate_key("secret", None)
    assert rate_key(None, "1.2.3.4") == "addr:1.2.3.4"
