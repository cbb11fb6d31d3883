"""Server-side glue: the current principal's effective scope for a requested common.v1.Level."""
from __future__ import annotations

from sqlalchemy import Engine

from libs.auth.context import current_principal
from libs.auth.principal import Principal
from libs.auth.scope import EffectiveScope, effective_scope
from libs.identity.reads import customer_partner_lookup, load_tree

__all__ = ["scope_for_level"]


def scope_for_level(engine: Engine, level, principal: Principal | None = None) -> EffectiveScope:  # noqa: ANN001
    """Effective scope of `principal` (default: the request's) for a Level message (or None)."""
    principal = principal or current_principal()
    kind = int(level.kind) if level is not None else 0
    level_id = level.id if level is not None else ""
    tree = load_tree(engine, principal.tenant_id)
    return effective_scope(principal, kind, level_id, tree, customer_partner_lookup(engine, principal.tenant_id))
