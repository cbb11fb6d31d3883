"""Per-request identity, set by the interceptor for the handler's duration."""
from __future__ import annotations

from contextvars import ContextVar

from libs.auth.principal import Principal
from libs.errors import Unauthenticated

__all__ = ["PRINCIPAL", "CREDENTIALS", "current_principal", "current_credentials"]

PRINCIPAL: ContextVar[Principal | None] = ContextVar("partneros_principal", default=None)
# The caller's own credentials, forwarded on service-to-service calls so the callee re-checks them.
CREDENTIALS: ContextVar[tuple[tuple[str, str], ...]] = ContextVar("partneros_credentials", default=())


def current_principal() -> Principal:
    """The principal of the request being served; refuses if there is none."""
    principal = PRINCIPAL.get()
    if principal is None:
        raise Unauthenticated("no authenticated principal in this request")
    return principal


def current_credentials() -> tuple[tuple[str, str], ...]:
    """gRPC metadata to forward the caller's identity downstream."""
    return CREDENTIALS.get()
