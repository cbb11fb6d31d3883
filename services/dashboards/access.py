"""Who may see which dashboards: operators every dashboard of their tenant, partner users only
those shared with partners (any other is NOT_FOUND to them, never PERMISSION_DENIED, so its
existence is not revealed). A default level naming a partner or customer outside the caller's
view is not shown to them either: it would name something they cannot see."""
from __future__ import annotations

from collections.abc import Iterable

from partneros.common.v1 import level_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb
from sqlalchemy import Engine

from libs.auth import visible_partner_ids
from libs.auth.principal import Principal, PrincipalKind
from libs.identity.reads import customer_partner_lookup, load_tree

__all__ = ["shared_only", "for_caller"]


def shared_only(principal: Principal) -> bool:
    """True when the caller may only see dashboards shared with partners."""
    return principal.kind is not PrincipalKind.OPERATOR


def for_caller(engine: Engine, principal: Principal, dashboards: Iterable[pb.Dashboard]) -> list[pb.Dashboard]:
    """The dashboards as `principal` may see them: without a default level outside their view
    (rendering then starts from the caller's own widest level, as when no default is set)."""
    out = list(dashboards)
    if principal.is_admin or not any(d.default_level.id for d in out):
        return out
    visible = visible_partner_ids(principal, load_tree(engine, principal.tenant_id))
    partner_of = customer_partner_lookup(engine, principal.tenant_id)
    for i, dashboard in enumerate(out):
        level = dashboard.default_level
        if not level.id or visible is None:
            continue
        partner = level.id if level.kind == level_pb2.LEVEL_KIND_PARTNER else partner_of(level.id)
        if partner not in visible:
            out[i] = pb.Dashboard()
            out[i].CopyFrom(dashboard)
            out[i].ClearField("default_level")
    return out
