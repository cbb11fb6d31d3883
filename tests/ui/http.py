"""Calling the gateway's HTTP/JSON API from a test, to compare what the UI shows with it."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

LAST_30_DAYS = {"period": "PERIOD_DAY", "mode": "WINDOW_MODE_TRAILING", "count": 30}


def call(base_url: str, method: str, path: str, token: str, body: Any = None) -> tuple[int, dict]:
    """(HTTP status, JSON body) of one call with `Authorization: Bearer <token>`."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(base_url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            text = response.read()
            return response.status, json.loads(text) if text else {}
    except urllib.error.HTTPError as err:
        text = err.read()
        return err.code, json.loads(text) if text else {}


def ok(base_url: str, method: str, path: str, token: str, body: Any = None) -> dict:
    status, data = call(base_url, method, path, token, body)
    assert status == 200, (status, data)
    return data


def query_metric(base_url: str, token: str, metric_id: str, *, level: dict | None = None,
                 window: dict | None = None, grain: str | None = None) -> dict:
    """QueryMetric over HTTP, as the caller `token`."""
    body: dict[str, Any] = {"window": window or LAST_30_DAYS}
    if level:
        body["level"] = level
    if grain:
        body["grain"] = grain
    return ok(base_url, "POST", f"/v1/metrics/{metric_id}:query", token, body)


def shown(value: float) -> str:
    """How the UI prints a number: thousands separators, at most two decimals."""
    text = f"{round(float(value), 2):,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
