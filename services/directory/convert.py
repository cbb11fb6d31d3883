"""Identity rows -> directory messages. Pure functions, one per resource."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from google.protobuf import timestamp_pb2
from partneros.directory.v1 import directory_pb2 as pb

from libs.identity import models as m

__all__ = ["timestamp", "tenant", "partner", "customer", "operator", "partner_user", "machine_key",
           "personal_token", "ROLE_TO_PB", "ROLE_FROM_PB", "SUBJECT_KIND_TO_PB"]

ROLE_TO_PB = {"admin": pb.OPERATOR_ROLE_ADMIN, "manager": pb.OPERATOR_ROLE_MANAGER}
ROLE_FROM_PB = {v: k for k, v in ROLE_TO_PB.items()}
SUBJECT_KIND_TO_PB = {"operator": pb.PRINCIPAL_KIND_OPERATOR, "partner_user": pb.PRINCIPAL_KIND_PARTNER_USER}


def timestamp(value: dt.datetime | None) -> timestamp_pb2.Timestamp | None:
    """A Timestamp for a stored time; SQLite hands back naive datetimes, which are UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(value)
    return ts


def tenant(row: m.Tenant) -> pb.Tenant:
    return pb.Tenant(id=row.id, name=row.name, time_zone=row.time_zone, week_start=row.week_start,
                     create_time=timestamp(row.create_time))


def partner(row: m.Partner) -> pb.Partner:
    return pb.Partner(id=row.id, name=row.name, parent_id=row.parent_id or "", create_time=timestamp(row.create_time))


def customer(row: m.Customer) -> pb.Customer:
    return pb.Customer(id=row.id, partner_id=row.partner_id, external_id=row.external_id or "",
                       email=row.email or "", name=row.name, create_time=timestamp(row.create_time))


def operator(row: m.Operator, assigned: Iterable[str]) -> pb.Operator:
    return pb.Operator(id=row.id, email=row.email, name=row.name, role=ROLE_TO_PB.get(row.role, 0),
                       assigned_partner_ids=sorted(assigned), create_time=timestamp(row.create_time))


def partner_user(row: m.PartnerUser) -> pb.PartnerUser:
    return pb.PartnerUser(id=row.id, partner_id=row.partner_id, email=row.email, name=row.name,
                          create_time=timestamp(row.create_time))


def machine_key(row: m.MachineKey) -> pb.MachineKey:
    """The key's public description; the hash never leaves the store."""
    return pb.MachineKey(id=row.id, display_name=row.display_name, prefix=row.prefix,
                         scopes=sorted(row.scopes.split()), partner_id=row.partner_id or "",
                         create_time=timestamp(row.create_time), revoke_time=timestamp(row.revoke_time),
                         last_use_time=timestamp(row.last_use_time))


def personal_token(row: m.PersonalToken) -> pb.PersonalToken:
    """The token's public description; the hash never leaves the store."""
    return pb.PersonalToken(id=row.id, subject_id=row.subject_id,
                            subject_kind=SUBJECT_KIND_TO_PB.get(row.subject_kind, 0),
                            display_name=row.display_name, prefix=row.prefix,
                            create_time=timestamp(row.create_time), revoke_time=timestamp(row.revoke_time),
                            last_use_time=timestamp(row.last_use_time))
