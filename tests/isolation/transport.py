"""One way to call any RPC as any principal, over gRPC directly or over HTTP through the gateway.

Both return an Outcome: the response message, or the error's code name, ErrorInfo reason,
metadata and message, so the leak checks read the two entry points alike.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.api import annotations_pb2
from google.protobuf import json_format, text_format
from google.protobuf.message import Message
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from partneros.dashboards.v1 import dashboards_pb2, dashboards_pb2_grpc
from partneros.directory.v1 import directory_pb2, directory_pb2_grpc
from partneros.ingest.v1 import ingest_pb2, ingest_pb2_grpc
from partneros.metrics.v1 import metrics_pb2, metrics_pb2_grpc

__all__ = ["Outcome", "GrpcTransport", "HttpTransport", "SERVICES", "describe_request"]

# service short name -> (pb2 module, service name, stub class)
SERVICES = {
    "directory": (directory_pb2, "DirectoryService", directory_pb2_grpc.DirectoryServiceStub),
    "ingest": (ingest_pb2, "IngestService", ingest_pb2_grpc.IngestServiceStub),
    "metrics": (metrics_pb2, "MetricsService", metrics_pb2_grpc.MetricsServiceStub),
    "dashboards": (dashboards_pb2, "DashboardsService", dashboards_pb2_grpc.DashboardsServiceStub),
}
_TIMEOUT = 30.0
_RETRIES = 5


@dataclass
class Outcome:
    """What a call returned: `response` when ok, else the error's parts."""

    transport: str
    method: str
    response: Message | None = None
    code: str = "OK"
    reason: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    message: str = ""
    raw: str = ""  # the body as received (HTTP), scanned as well

    @property
    def ok(self) -> bool:
        return self.code == "OK"

    def error(self) -> tuple[str, str]:
        return self.code, self.reason

    def describe(self) -> str:
        if self.ok:
            text = text_format.MessageToString(self.response, as_one_line=True) if self.response is not None else ""
            return f"OK {text[:1500]}"
        return f"{self.code} reason={self.reason} metadata={self.metadata} message={self.message!r}"


def describe_request(request: Message) -> str:
    return f"{type(request).__name__}{{{text_format.MessageToString(request, as_one_line=True)[:1500]}}}"


class GrpcTransport:
    """Calls the services' gRPC API on one channel."""

    name = "grpc"

    def __init__(self, channel: grpc.Channel) -> None:
        self._stubs = {name: stub(channel) for name, (_, _, stub) in SERVICES.items()}

    def call(self, service: str, method: str, request: Message, token: str) -> Outcome:
        rpc = getattr(self._stubs[service], method)
        try:
            response = rpc(request, metadata=(("authorization", f"Bearer {token}"),), timeout=_TIMEOUT)
        except grpc.RpcError as err:
            out = Outcome(self.name, method, code=err.code().name, message=err.details() or "")
            status = rpc_status.from_call(err)
            if status is not None:
                for detail in status.details:
                    info = error_details_pb2.ErrorInfo()
                    if detail.Unpack(info):
                        out.reason, out.metadata = info.reason, dict(info.metadata)
            return out
        return Outcome(self.name, method, response=response)


_VAR = re.compile(r"\{([a-z_.]+)(?:=[^}]*)?\}")


def _get_path(message: Message, dotted: str) -> Any:
    value: Any = message
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def _flatten(prefix: str, value: Any, out: list[tuple[str, str]]) -> None:
    """Query parameters of a JSON value, nested messages as dotted names (grpc-gateway style)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, inner, out)
    elif isinstance(value, list):
        for inner in value:
            _flatten(prefix, inner, out)
    elif isinstance(value, bool):
        out.append((prefix, "true" if value else "false"))
    else:
        out.append((prefix, str(value)))


class HttpTransport:
    """Calls the same RPCs over HTTP/JSON, routed by each method's google.api.http rule (as the
    gateway does): path variables from the request, the body per the rule, the rest as query."""

    name = "http"

    def __init__(self, base_url: str) -> None:
        import httpx

        self._client = httpx.Client(base_url=base_url, timeout=_TIMEOUT)

    def close(self) -> None:
        self._client.close()

    def _rule(self, service: str, method: str):  # noqa: ANN202
        module, service_name, _ = SERVICES[service]
        descriptor = module.DESCRIPTOR.services_by_name[service_name].methods_by_name[method]
        rule = descriptor.GetOptions().Extensions[annotations_pb2.http]
        verb = rule.WhichOneof("pattern")
        return verb, getattr(rule, verb), rule.body, descriptor

    def call(self, service: str, method: str, request: Message, token: str) -> Outcome:
        verb, template, body_field, descriptor = self._rule(service, method)
        as_json = json_format.MessageToDict(request, preserving_proto_field_name=False)
        used: set[str] = set()

        def substitute(match: re.Match) -> str:
            used.add(match.group(1))
            return str(_get_path(request, match.group(1)))

        path = _VAR.sub(substitute, template)
        payload: Any = None
        params: list[tuple[str, str]] = []
        if body_field == "*":
            payload = {k: v for k, v in as_json.items() if _snake(k) not in {u.split(".")[0] for u in used}}
        elif body_field:
            payload = json_format.MessageToDict(getattr(request, body_field))
            remaining = {k: v for k, v in as_json.items() if _snake(k) != body_field}
            _flatten("", {k: v for k, v in remaining.items() if _snake(k) not in used}, params)
        else:
            _flatten("", {k: v for k, v in as_json.items() if _snake(k) not in used}, params)
        for _ in range(_RETRIES):  # the gateway's per-credential rate limit: wait as told, then retry
            response = self._client.request(verb.upper(), path, params=params or None,
                                            json=payload if verb not in ("get", "delete") else None,
                                            headers={"Authorization": f"Bearer {token}"})
            if response.status_code != 429:
                break
            time.sleep(min(float(response.headers.get("retry-after", "1")), 2.0))
        out = Outcome(self.name, method, raw=response.text)
        if response.status_code < 300:
            out.response = json_format.Parse(response.text or "{}", descriptor.output_type._concrete_class(),
                                             ignore_unknown_fields=True)
            return out
        try:
            error = json.loads(response.text).get("error", {})
        except ValueError:
            error = {}
        out.code = str(error.get("status") or f"HTTP_{response.status_code}")
        out.message = str(error.get("message", ""))
        for detail in error.get("details", []) or []:
            if isinstance(detail, dict) and "reason" in detail:
                out.reason = str(detail.get("reason", ""))
                out.metadata = {str(k): str(v) for k, v in (detail.get("metadata") or {}).items()}
        return out


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
