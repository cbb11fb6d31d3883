"""GetTenant / UpdateTenant: the caller's own tenant and its calendar settings."""
from __future__ import annotations

from partneros.directory.v1 import directory_pb2 as pb
from sqlalchemy import Engine

from libs.auth import current_principal
from libs.errors import NotFound
from libs.identity import models as m
from services.directory import convert, validate
from services.directory.db import reading, writing

__all__ = ["get", "update"]

_WRITABLE = ("name", "time_zone", "week_start")


def _own(session, tenant_id: str) -> m.Tenant:  # noqa: ANN001
    row = session.get(m.Tenant, tenant_id)
    if row is None:
        raise NotFound("tenant not found", reason="TENANT_NOT_FOUND", tenant_id=tenant_id)
    return row


def get(engine: Engine, request: pb.GetTenantRequest) -> pb.Tenant:
    with reading(engine) as session:
        return convert.tenant(_own(session, current_principal().tenant_id))


def update(engine: Engine, request: pb.UpdateTenantRequest) -> pb.Tenant:
    """Only the caller's tenant can be updated; an id in the body is ignored (it is output only)."""
    fields = validate.update_fields(request.update_mask, _WRITABLE)
    new = request.tenant
    values: dict[str, object] = {}
    if "name" in fields:
        values["name"] = validate.text(new.name, "name")
    if "time_zone" in fields:
        values["time_zone"] = validate.time_zone(new.time_zone, "time_zone")
    if "week_start" in fields:
        values["week_start"] = validate.week_start(new.week_start, "week_start")
    with writing(engine) as session:
        row = _own(session, current_principal().tenant_id)
        for key, value in values.items():
            setattr(row, key, value)
        session.flush()
        return convert.tenant(row)
