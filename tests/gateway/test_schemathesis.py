"""schemathesis against the live gateway and the OpenAPI document it serves, every operation, with
valid credentials and without: no 5xx, responses conform to the document, auth enforced everywhere.

The document is the one the gateway builds at start-up (checked equal to the served one), loaded at
collection time so that each operation is its own test. Bounded: a few generated examples per
operation (GATEWAY_FUZZ_EXAMPLES, default 4).
"""
from __future__ import annotations

import os

import httpx
import hypothesis
import orjson
import pytest
import schemathesis
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                 status_code_conformance)

from tests.factories import World

EXAMPLES = int(os.environ.get("GATEWAY_FUZZ_EXAMPLES", "4"))
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    suppress_health_check=list(hypothesis.HealthCheck),
)
CONFORMANCE = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def fuzz_world(gw_host) -> World:  # noqa: ANN001
    return World.build(gw_host.context.engine, "Fuzzed")


def _document() -> dict:
    from services.gateway.app import Gateway
    from services.gateway.upstream import Upstreams, discover_services

    return orjson.loads(Gateway(Upstreams(lambda name: None, discover_services())).openapi_document())


DOCUMENT = _document()
schema = schemathesis.openapi.from_dict(DOCUMENT)


def test_the_fuzzed_document_is_the_served_one(http: httpx.Client) -> None:
    assert http.get("/openapi.json").json() == DOCUMENT


@schema.parametrize()
@SETTINGS
def test_with_credentials_no_5xx_and_responses_conform(case, base_url: str, fuzz_world: World) -> None:  # noqa: ANN001
    case.call_and_validate(base_url=base_url, headers={"Authorization": f"Bearer {fuzz_world.admin_token}"},
                           checks=CONFORMANCE, timeout=30)


@schema.parametrize()
@hypothesis.settings(SETTINGS, phases=[hypothesis.Phase.generate])
def test_without_credentials_every_operation_is_401(case, base_url: str) -> None:  # noqa: ANN001
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    response = case.call_and_validate(base_url=base_url, checks=CONFORMANCE, timeout=30)
    if case.method.upper() != case.operation.method.upper():  # schemathesis probing other methods
        assert response.status_code == 405, (case.method, case.formatted_path, response.status_code)
        return
    assert response.status_code == 401, (case.method, case.formatted_path, response.status_code, response.text)
    assert response.json()["error"]["status"] == "UNAUTHENTICATED"
