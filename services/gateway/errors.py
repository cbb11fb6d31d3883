"""One error shape and one gRPC -> HTTP status table.

Every error the gateway returns, its own or a service's, is
    {"error": {"code": <HTTP status>, "status": "<gRPC code name>", "message": "...", "details": [...]}}
with `details` the google.rpc.Status details in proto3 JSON (an ErrorInfo with reason and metadata).
"""
from __future__ import annotations

import logging
import math

import grpc
import orjson
from google.protobuf import duration_pb2, json_format
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from libs.errors import DOMAIN

__all__ = ["HTTP_STATUS", "HttpError", "from_rpc_error", "gateway_error", "RETRY_AFTER_DEFAULT"]

log = logging.getLogger(__name__)

C = grpc.StatusCode
HTTP_STATUS: dict[grpc.StatusCode, int] = {
    C.OK: 200,
    C.CANCELLED: 499,
    C.UNKNOWN: 500,
    C.INVALID_ARGUMENT: 400,
    C.DEADLINE_EXCEEDED: 504,
    C.NOT_FOUND: 404,
    C.ALREADY_EXISTS: 409,
    C.PERMISSION_DENIED: 403,
    C.UNAUTHENTICATED: 401,
    C.RESOURCE_EXHAUSTED: 429,
    C.FAILED_PRECONDITION: 400,
    C.ABORTED: 409,
    C.OUT_OF_RANGE: 400,
    C.UNIMPLEMENTED: 501,
    C.INTERNAL: 500,
    C.UNAVAILABLE: 503,
    C.DATA_LOSS: 500,
}
# Statuses that tell the client to come back later, and when by default (seconds).
_RETRYABLE = {429, 503}
RETRY_AFTER_DEFAULT = 1


class HttpError(Exception):
    """An error response ready to send: status, headers and the JSON body."""

    def __init__(self, http_status: int, status: str, message: str, details: list[dict] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.http_status, self.status, self.message = http_status, status, message
        self.details = details or []
        self.headers = dict(headers or {})
        if http_status in _RETRYABLE and "retry-after" not in self.headers:
            self.headers["retry-after"] = str(RETRY_AFTER_DEFAULT)

    def body(self) -> bytes:
        return orjson.dumps({"error": {"code": self.http_status, "status": self.status, "message": self.message,
                                       "details": self.details}})


def gateway_error(http_status: int, code: grpc.StatusCode, message: str, *, reason: str,
                  headers: dict[str, str] | None = None, **metadata: object) -> HttpError:
    """An error raised by the gateway itself, with an ErrorInfo like the services' errors."""
    info = {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason, "domain": DOMAIN,
            "metadata": {k: str(v) for k, v in metadata.items()}}
    return HttpError(http_status, code.name, message, [info], headers)


def _detail_json(detail) -> dict:  # noqa: ANN001 - google.protobuf.Any
    try:
        return json_format.MessageToDict(detail, always_print_fields_with_no_presence=True)
    except (TypeError, KeyError):  # a detail type this process does not know
        return {"@type": detail.type_url}


def _retry_after(status: status_pb2.Status | None) -> str | None:
    for detail in status.details if status is not None else ():
        info = error_details_pb2.RetryInfo()
        if detail.Unpack(info):
            delay: duration_pb2.Duration = info.retry_delay
            return str(max(1, math.ceil(delay.seconds + delay.nanos / 1e9)))
    return None


def from_rpc_error(err: grpc.RpcError) -> HttpError:
    """A failed upstream call -> its HTTP error (status from the table, details kept)."""
    code = err.code() if hasattr(err, "code") else C.UNKNOWN
    message = (err.details() if hasattr(err, "details") else None) or code.name
    status = None
    try:
        status = rpc_status.from_call(err)
    except ValueError:  # inconsistent status trailers: keep what the code says
        log.warning("upstream sent a status detail that does not match its code", exc_info=True)
    details = [_detail_json(d) for d in status.details] if status is not None else []
    http_status = HTTP_STATUS.get(code, 500)
    headers = {}
    if http_status in _RETRYABLE:
        headers["retry-after"] = _retry_after(status) or str(RETRY_AFTER_DEFAULT)
    if not details and code in _TRANSPORT:
        # a failure of the transport (peer down, deadline, reset), not an answer of the service:
        # its text names internal addresses, so the caller gets a plain one and the log the rest
        log.warning("upstream call failed: %s %s", code.name, message)
        message, reason = _TRANSPORT[code]
        details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason, "domain": DOMAIN,
                    "metadata": {}}]
    return HttpError(http_status, code.name, message, details, headers)


_TRANSPORT = {
    C.UNAVAILABLE: ("the service is unavailable; retry later", "UPSTREAM_UNAVAILABLE"),
    C.DEADLINE_EXCEEDED: ("the request took longer than the gateway's timeout", "DEADLINE_EXCEEDED"),
    C.CANCELLED: ("the request was cancelled", "CANCELLED"),
    C.INTERNAL: ("internal error", "INTERNAL"),
    C.UNKNOWN: ("internal error", "UNKNOWN"),
    C.DATA_LOSS: ("internal error", "DATA_LOSS"),
}
