"""Who may see which dashboards: operators every dashboard of their tenant, partner users only
those shared with partners (any other is NOT_FOUND to them, never PERMISSION_DENIED, so its
existence is not revealed)."""
from __future__ import annotations

from libs.auth.principal import Principal, PrincipalKind

__all__ = ["shared_only"]


def shared_only(principal: Principal) -> bool:
    """True when the caller may only see dashboards shared with partners."""
    return principal.kind is not PrincipalKind.OPERATOR
