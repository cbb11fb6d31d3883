"""Typed API errors, one class per gRPC status, and their one conversion to google.rpc.Status."""
from __future__ import annotations

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

__all__ = [
    "ApiError", "InvalidArgument", "NotFound", "AlreadyExists", "PermissionDenied",
    "Unauthenticated", "FailedPrecondition", "Aborted", "ResourceExhausted",
    "Unavailable", "DeadlineExceeded", "Internal", "to_status", "from_rpc_error", "DOMAIN",
]

DOMAIN = "partneros.dev"


class ApiError(Exception):
    """An error meant for the caller: a status code, an UPPER_SNAKE reason and metadata."""

    code: grpc.StatusCode = grpc.StatusCode.UNKNOWN
    default_reason = "UNKNOWN"

    def __init__(self, message: str, *, reason: str | None = None, **metadata: object) -> None:
        message = _bounded(message, MAX_MESSAGE)
        super().__init__(message)
        self.message = message
        self.reason = reason or self.default_reason
        self.metadata = {k: _bounded(str(v), MAX_METADATA_VALUE) for k, v in metadata.items()}


# An error names what was wrong, often quoting it; a quote of a 20,000-character id must not make
# the error itself too large for gRPC's metadata (16 KiB), which would replace it with another.
MAX_MESSAGE = 1000
MAX_METADATA_VALUE = 200


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _error(name: str, code: grpc.StatusCode, reason: str) -> type[ApiError]:
    return type(name, (ApiError,), {"code": code, "default_reason": reason, "__doc__": f"{code.name}."})


InvalidArgument = _error("InvalidArgument", grpc.StatusCode.INVALID_ARGUMENT, "INVALID_ARGUMENT")
NotFound = _error("NotFound", grpc.StatusCode.NOT_FOUND, "NOT_FOUND")
AlreadyExists = _error("AlreadyExists", grpc.StatusCode.ALREADY_EXISTS, "ALREADY_EXISTS")
PermissionDenied = _error("PermissionDenied", grpc.StatusCode.PERMISSION_DENIED, "PERMISSION_DENIED")
Unauthenticated = _error("Unauthenticated", grpc.StatusCode.UNAUTHENTICATED, "UNAUTHENTICATED")
FailedPrecondition = _error("FailedPrecondition", grpc.StatusCode.FAILED_PRECONDITION, "FAILED_PRECONDITION")
Aborted = _error("Aborted", grpc.StatusCode.ABORTED, "ABORTED")
ResourceExhausted = _error("ResourceExhausted", grpc.StatusCode.RESOURCE_EXHAUSTED, "RESOURCE_EXHAUSTED")
Unavailable = _error("Unavailable", grpc.StatusCode.UNAVAILABLE, "UNAVAILABLE")
DeadlineExceeded = _error("DeadlineExceeded", grpc.StatusCode.DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED")
Internal = _error("Internal", grpc.StatusCode.INTERNAL, "INTERNAL")


def to_status(error: ApiError) -> grpc.Status:
    """The google.rpc.Status (with one ErrorInfo) that carries `error` to the caller."""
    info = error_details_pb2.ErrorInfo(reason=error.reason, domain=DOMAIN, metadata=error.metadata)
    detail = any_pb2.Any()
    detail.Pack(info)
    status = status_pb2.Status(code=error.code.value[0], message=error.message, details=[detail])
    return rpc_status.to_status(status)


_BY_CODE = {cls.code: cls for cls in ApiError.__subclasses__()}


def from_rpc_error(err: grpc.RpcError) -> ApiError:
    """Rebuild an ApiError from a downstream call's failure, keeping reason and metadata."""
    code = err.code() if hasattr(err, "code") else grpc.StatusCode.UNKNOWN
    cls = _BY_CODE.get(code, Internal)
    reason, metadata = None, {}
    status = rpc_status.from_call(err) if hasattr(err, "trailing_metadata") else None
    if status is not None:
        for detail in status.details:
            info = error_details_pb2.ErrorInfo()
            if detail.Unpack(info):
                reason, metadata = info.reason, dict(info.metadata)
    details = err.details() if hasattr(err, "details") else str(err)
    return cls(details or code.name, reason=reason, **metadata)


assert code_pb2.INVALID_ARGUMENT == grpc.StatusCode.INVALID_ARGUMENT.value[0]
