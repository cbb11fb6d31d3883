"""The scope-checking server interceptor every service runs.

It authenticates the call, checks the method's declared permission (deny by default), puts
the principal in a ContextVar for the handler, and turns ApiError into google.rpc.Status.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping

import grpc
from google.protobuf import descriptor as _descriptor

from libs.auth.bearer import bearer_token
from libs.auth.context import CREDENTIALS, PRINCIPAL
from libs.auth.permissions import permissions_for
from libs.auth.principal import Principal
from libs.errors import ApiError, Internal, PermissionDenied, Unauthenticated, to_status

__all__ = ["ScopeInterceptor", "Authenticator", "method_permissions", "EXEMPT_PREFIXES"]

log = logging.getLogger(__name__)

# Infrastructure every load balancer and tool must reach without credentials.
EXEMPT_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.v1alpha.ServerReflection/",
                   "/grpc.reflection.v1.ServerReflection/")

Authenticator = Callable[[str], Principal | None]


def method_permissions(services: Iterable[_descriptor.ServiceDescriptor]) -> dict[str, str]:
    """'/pkg.Service/Method' -> declared permission, for every method that declares one."""
    from partneros.common.v1 import auth_pb2

    out: dict[str, str] = {}
    for service in services:
        for method in service.methods:
            rule = method.GetOptions().Extensions[auth_pb2.auth]
            if rule.permission:
                out[f"/{service.full_name}/{method.name}"] = rule.permission
    return out


def _bearer(metadata: Iterable[tuple[str, str | bytes]]) -> str | None:
    for key, value in metadata:
        if key == "authorization" and isinstance(value, str):
            token = bearer_token(value)
            if token is not None:
                return token
    return None


class ScopeInterceptor(grpc.ServerInterceptor):
    """Authenticate, authorise by declared permission, expose the principal, map errors."""

    def __init__(self, authenticator: Authenticator, permissions: Mapping[str, str]) -> None:
        self._authenticate = authenticator
        self._permissions = dict(permissions)

    def authorize(self, method: str, metadata: Iterable[tuple[str, str | bytes]]) -> Principal:
        """The principal allowed to call `method`, or the ApiError that refuses it."""
        required = self._permissions.get(method)
        if required is None:
            raise PermissionDenied(f"method {method} declares no permission", reason="METHOD_NOT_DECLARED",
                                   method=method)
        token = _bearer(metadata)
        if token is None:
            raise Unauthenticated("missing bearer credentials", reason="CREDENTIALS_MISSING")
        principal = self._authenticate(token)
        if principal is None:
            raise Unauthenticated("invalid, revoked or unknown credentials", reason="CREDENTIALS_INVALID")
        if required not in permissions_for(principal):
            raise PermissionDenied(f"{method} needs permission {required!r}", reason="PERMISSION_MISSING",
                                   permission=required)
        return principal

    def intercept_service(self, continuation, handler_call_details):  # noqa: ANN001 - grpc API
        method = handler_call_details.method
        handler = continuation(handler_call_details)
        if handler is None or method.startswith(EXEMPT_PREFIXES):
            return handler
        if handler.unary_unary is None:
            return _refuse(PermissionDenied(f"{method}: only unary methods are served", reason="METHOD_NOT_DECLARED"))
        inner = handler.unary_unary

        def behaviour(request, context: grpc.ServicerContext):  # noqa: ANN001
            try:
                metadata = tuple(context.invocation_metadata() or ())
                principal = self.authorize(method, metadata)
                forwarded = tuple((k, v) for k, v in metadata if k == "authorization")
                p_token, c_token = PRINCIPAL.set(principal), CREDENTIALS.set(forwarded)
                try:
                    return inner(request, context)
                finally:
                    PRINCIPAL.reset(p_token)
                    CREDENTIALS.reset(c_token)
            except ApiError as err:
                context.abort_with_status(to_status(err))
            except grpc.RpcError:
                raise
            except Exception:  # an internal failure: log it, tell the caller nothing internal
                log.exception("unhandled error in %s", method)
                context.abort_with_status(to_status(Internal("internal error")))

        return grpc.unary_unary_rpc_method_handler(
            behaviour,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


def _refuse(error: ApiError) -> grpc.RpcMethodHandler:
    def refuse(request, context: grpc.ServicerContext):  # noqa: ANN001
        context.abort_with_status(to_status(error))

    return grpc.unary_unary_rpc_method_handler(refuse)
