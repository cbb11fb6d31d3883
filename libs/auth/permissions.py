"""Which permissions each kind of principal holds. One table, read by the interceptor."""
from __future__ import annotations

from libs.auth.principal import Principal, PrincipalKind, Role

__all__ = ["ALL_PERMISSIONS", "MACHINE_SCOPES", "permissions_for"]

_READ_SIDE = frozenset({
    "identity:read", "directory:read", "metrics:read", "events:read", "events:record",
    "dashboards:read",
})
# Scopes a machine key may be granted.
MACHINE_SCOPES = frozenset({"events:write"})

ALL_PERMISSIONS = _READ_SIDE | MACHINE_SCOPES | frozenset({
    "directory:write", "directory:admin", "keys:read", "keys:write", "metrics:write",
    "dashboards:write", "quarantine:read", "quarantine:write",
})

_BY_ROLE: dict[Role, frozenset[str]] = {
    # Admins run the program, but events from systems come only through machine keys.
    Role.ADMIN: ALL_PERMISSIONS - MACHINE_SCOPES,
    # Managing operators build and view dashboards over the partners they manage.
    Role.MANAGER: _READ_SIDE | frozenset({"dashboards:write"}),
}


def permissions_for(principal: Principal) -> frozenset[str]:
    """Every permission `principal` holds."""
    if principal.kind is PrincipalKind.OPERATOR:
        return _BY_ROLE.get(principal.role, frozenset()) if principal.role else frozenset()
    if principal.kind is PrincipalKind.PARTNER_USER:
        return _READ_SIDE
    if principal.kind is PrincipalKind.MACHINE_KEY:
        return frozenset({"identity:read"}) | (principal.scopes & MACHINE_SCOPES)
    return frozenset()
