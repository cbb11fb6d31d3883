"""Level checks against the directory: a stored default level must name a real partner or customer."""
from __future__ import annotations

from partneros.common.v1 import level_pb2
from sqlalchemy import Engine

from libs.errors import InvalidArgument
from libs.identity.reads import customer_partner_lookup, load_tree

__all__ = ["check_level_exists", "level_of"]


def check_level_exists(engine: Engine, tenant_id: str, level: level_pb2.Level, field: str) -> None:
    """Refuse a level naming a partner or customer the tenant does not have."""
    if level.kind == level_pb2.LEVEL_KIND_PARTNER and level.id not in load_tree(engine, tenant_id):
        raise InvalidArgument(f"{field}: partner {level.id!r} not found", reason="PARTNER_NOT_FOUND",
                              field=f"{field}.id", partner_id=level.id)
    if level.kind == level_pb2.LEVEL_KIND_CUSTOMER and customer_partner_lookup(engine, tenant_id)(level.id) is None:
        raise InvalidArgument(f"{field}: customer {level.id!r} not found", reason="CUSTOMER_NOT_FOUND",
                              field=f"{field}.id", customer_id=level.id)


def level_of(kind: int, level_id: str) -> level_pb2.Level:
    return level_pb2.Level(kind=kind, id=level_id)  # type: ignore[arg-type]
