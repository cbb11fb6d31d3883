"""Level checks against the directory: a stored default level must name a partner or customer the
caller can see (one outside their view is answered exactly like an unknown one)."""
from __future__ import annotations

from partneros.common.v1 import level_pb2
from sqlalchemy import Engine

from libs.auth import Principal, visible_partner_ids
from libs.errors import InvalidArgument
from libs.identity.reads import customer_partner_lookup, load_tree

__all__ = ["check_level_exists", "level_of"]


def check_level_exists(engine: Engine, principal: Principal, level: level_pb2.Level, field: str) -> None:
    """Refuse a level naming a partner or customer the caller cannot see (or the tenant lacks)."""
    if level.kind not in (level_pb2.LEVEL_KIND_PARTNER, level_pb2.LEVEL_KIND_CUSTOMER):
        return
    tree = load_tree(engine, principal.tenant_id)
    visible = visible_partner_ids(principal, tree)

    def seen(partner_id: str | None) -> bool:
        return partner_id is not None and partner_id in tree and (visible is None or partner_id in visible)

    if level.kind == level_pb2.LEVEL_KIND_PARTNER and not seen(level.id):
        raise InvalidArgument(f"{field}: partner {level.id!r} not found", reason="PARTNER_NOT_FOUND",
                              field=f"{field}.id", partner_id=level.id)
    if level.kind == level_pb2.LEVEL_KIND_CUSTOMER and not seen(
            customer_partner_lookup(engine, principal.tenant_id)(level.id)):
        raise InvalidArgument(f"{field}: customer {level.id!r} not found", reason="CUSTOMER_NOT_FOUND",
                              field=f"{field}.id", customer_id=level.id)


def level_of(kind: int, level_id: str) -> level_pb2.Level:
    return level_pb2.Level(kind=kind, id=level_id)  # type: ignore[arg-type]
