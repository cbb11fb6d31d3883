"""The OpenAPI document: valid OpenAPI 3, one operation per route, schemas from the messages with
the proto comments as descriptions, bearer security; the docs page works offline."""
from __future__ import annotations

import re

import httpx
from openapi_spec_validator import validate

from services.gateway.openapi import openapi_path
from services.gateway.routes import build_routes
from services.gateway.upstream import discover_services


def test_document_is_valid_openapi_3_with_every_route(http: httpx.Client) -> None:
    doc = http.get("/openapi.json").json()
    validate(doc)
    assert doc["openapi"].startswith("3.")
    routes = build_routes(discover_services())
    operations = {(path, method.upper()) for path, item in doc["paths"].items() for method in item}
    assert operations == {(openapi_path(r), r.http_method) for r in routes}
    ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids)) == len(routes)


def test_bearer_security_everywhere_and_errors_documented(http: httpx.Client) -> None:
    doc = http.get("/openapi.json").json()
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": doc["components"]["securitySchemes"]["bearerAuth"]["description"]}
    assert doc["security"] == [{"bearerAuth": []}]
    for item in doc["paths"].values():
        for op in item.values():
            assert op["responses"]["default"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
            assert op["x-permission"] and op["x-permission"] in op["description"]


def test_schemas_follow_the_json_mapping_and_carry_comments(http: httpx.Client) -> None:
    doc = http.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    metric = schemas["partneros.metrics.v1.Metric"]
    assert metric["description"] == "A custom metric definition."
    props = metric["properties"]
    assert set(props) >= {"id", "name", "eventNames", "filterGroups", "createTime", "version"}  # lowerCamel
    assert props["field"]["description"].startswith("Payload path aggregated")
    assert props["version"]["type"] == "string" and props["version"]["format"] == "int64"  # int64 as string
    assert props["createTime"]["format"] == "date-time" and props["createTime"]["readOnly"] is True
    assert props["id"]["readOnly"] is True and set(metric["required"]) == {"name", "aggregation"}
    assert metric["additionalProperties"] is False
    event_input = schemas["partneros.ingest.v1.EventInput"]["properties"]
    assert event_input["properties"]["type"] == "object" and event_input["properties"]["additionalProperties"] is True
    level_kind = schemas["partneros.common.v1.LevelKind"]
    assert "LEVEL_KIND_PARTNER" in level_kind["enum"] and "LEVEL_KIND_PARTNER: One partner" in level_kind["description"]
    change = schemas["partneros.metrics.v1.QueryMetricResponse"]["properties"]["change"]
    assert change["type"] == "number" and change["nullable"] is True  # DoubleValue wrapper


def test_parameters_path_nested_and_query(http: httpx.Client) -> None:
    doc = http.get("/openapi.json").json()
    item = doc["paths"]["/v1/metrics/{metric_id}"]
    assert set(item) == {"get", "delete", "patch"}  # GetMetric {metric_id}, UpdateMetric {metric.id}
    patch = item["patch"]
    params = {p["name"]: p for p in patch["parameters"]}
    path_param = [p for p in params.values() if p["in"] == "path"]
    assert len(path_param) == 1 and "metric.id" in path_param[0]["description"]
    assert params["updateMask"]["in"] == "query"
    assert patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("partneros.metrics.v1.Metric")
    listing = {p["name"]: p for p in doc["paths"]["/v1/partners"]["get"]["parameters"]}
    assert set(listing) == {"pageSize", "pageToken", "parentId"} and listing["pageSize"]["schema"]["type"] == "integer"
    query = doc["paths"]["/v1/metrics/{metric_id}:query"]["post"]
    body = query["requestBody"]["content"]["application/json"]["schema"]
    assert "metricId" not in body["properties"] and "window" in body["properties"]  # bound by the path


def test_docs_page_is_served_offline(http: httpx.Client) -> None:
    page = http.get("/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert urls and all(u.startswith("/") for u in urls), "no asset from another host"
    for url in urls:
        asset = http.get(url)
        assert asset.status_code == 200 and len(asset.content) > 100, url
    init = http.get("/docs/init.js").text
    assert '"/openapi.json"' in init and "validatorUrl: null" in init


def test_docs_serves_only_the_assets_its_page_uses(http: httpx.Client) -> None:
    assert http.get("/docs/assets/index.html").status_code == 404  # the package's demo page
    assert http.get("/docs/assets/swagger-initializer.js").status_code == 404
    assert http.get("/docs/assets/swagger-ui-bundle.js").headers["content-type"].startswith("text/javascript")
