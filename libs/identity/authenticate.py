"""Bearer token -> Principal, read fresh from the identity tables on every call."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Engine, bindparam, select, update
from sqlalchemy.orm import Session

from libs.auth.principal import Principal, PrincipalKind, Role
from libs.identity import models as m
from libs.identity.tokens import MACHINE_KEY_KIND, split_token, verify

__all__ = ["Authenticator", "person_principal"]

# Last-use times are written at most this often per credential, to keep reads cheap.
_LAST_USE_RESOLUTION = dt.timedelta(seconds=30)

# A machine key is read on every call of the ingest rail, so it is read as one Core row (a
# quarter of the cost of loading the ORM entity in a Session).
_K = m.MachineKey
_MACHINE_KEY = select(_K.id, _K.tenant_id, _K.partner_id, _K.scopes, _K.display_name, _K.secret_hash,
                      _K.revoke_time, _K.last_use_time).where(_K.prefix == bindparam("prefix"))


class Authenticator:
    """Callable used by the interceptor; revocation and reassignment apply on the next call."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self, token: str) -> Principal | None:
        parsed = split_token(token)
        if parsed is None:
            return None
        kind, prefix = parsed
        if kind == MACHINE_KEY_KIND:
            with self._engine.connect() as conn:
                return self._machine_key(conn, token, prefix)
        with Session(self._engine) as session:
            return self._personal(session, token, prefix)

    @staticmethod
    def _touch(on: Session | Connection, table: type, row) -> None:  # noqa: ANN001
        now = m.utcnow()
        last = row.last_use_time
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=dt.timezone.utc)
        if last is None or now - last > _LAST_USE_RESOLUTION:
            on.execute(update(table).where(table.id == row.id).values(last_use_time=now))
            on.commit()

    def _machine_key(self, conn: Connection, token: str, prefix: str) -> Principal | None:
        key = conn.execute(_MACHINE_KEY, {"prefix": prefix}).one_or_none()
        if key is None or key.revoke_time is not None or not verify(token, key.secret_hash):
            return None
        self._touch(conn, m.MachineKey, key)
        return Principal(kind=PrincipalKind.MACHINE_KEY, id=key.id, tenant_id=key.tenant_id,
                         partner_id=key.partner_id, scopes=frozenset(key.scopes.split()),
                         display_name=key.display_name)

    def _personal(self, session: Session, token: str, prefix: str) -> Principal | None:
        pat = session.scalar(select(m.PersonalToken).where(m.PersonalToken.prefix == prefix))
        if pat is None or pat.revoke_time is not None or not verify(token, pat.secret_hash):
            return None
        principal = person_principal(session, pat.subject_kind, pat.subject_id, pat.tenant_id)
        if principal is not None:
            self._touch(session, m.PersonalToken, pat)
        return principal


def person_principal(session: Session, subject_kind: str, subject_id: str, tenant_id: str) -> Principal | None:
    """The principal of a person as the store holds them now ("operator" or "partner_user"), or None
    when there is no such person in the tenant."""
    if subject_kind == "operator":
        op = session.get(m.Operator, subject_id)
        if op is None or op.tenant_id != tenant_id:
            return None
        assigned = session.scalars(
            select(m.OperatorAssignment.partner_id).where(m.OperatorAssignment.operator_id == op.id)).all()
        return Principal(kind=PrincipalKind.OPERATOR, id=op.id, tenant_id=op.tenant_id, role=Role(op.role),
                         assigned_partner_ids=frozenset(assigned), display_name=op.name or op.email)
    if subject_kind == "partner_user":
        user = session.get(m.PartnerUser, subject_id)
        if user is None or user.tenant_id != tenant_id:
            return None
        return Principal(kind=PrincipalKind.PARTNER_USER, id=user.id, tenant_id=user.tenant_id,
                         partner_id=user.partner_id, display_name=user.name or user.email)
    return None
