"""Personal tokens of operators and partner users: shown once, stored as prefix + hash, revocable."""
from __future__ import annotations

from partneros.directory.v1 import directory_pb2 as pb
from sqlalchemy import Engine, select, true, update
from sqlalchemy.orm import Session

from libs.errors import InvalidArgument, NotFound
from libs.identity import models as m
from services.directory import convert, validate
from services.directory.access import Viewer, viewer, viewer_in
from services.directory.bootstrap import issue_personal_token
from services.directory.db import reading, writing
from services.directory.paging import page

__all__ = ["create", "list_", "revoke", "revoke_subject"]


def _subject_kind(session: Session, v: Viewer, subject_id: str) -> str:
    """'operator' or 'partner_user' for a person of the caller's view; INVALID_ARGUMENT otherwise."""
    op = session.get(m.Operator, subject_id)
    if op is not None and op.tenant_id == v.tenant_id and v.sees_whole_tenant:
        return "operator"
    user = session.get(m.PartnerUser, subject_id)
    if user is not None and user.tenant_id == v.tenant_id and v.sees(user.partner_id):
        return "partner_user"
    raise InvalidArgument(f"subject_id {subject_id!r} is not an operator or partner user of this tenant",
                          reason="UNKNOWN_SUBJECT", field="subject_id", subject_id=subject_id)


def _visible(v: Viewer):  # noqa: ANN202 - a SQL predicate
    """Tokens the caller may manage: all for the whole tenant, else those of visible partner users."""
    if v.sees_whole_tenant:
        return true()
    users = select(m.PartnerUser.id).where(m.PartnerUser.tenant_id == v.tenant_id,
                                           v.partner_filter(m.PartnerUser.partner_id))
    return m.PersonalToken.subject_id.in_(users)


def create(engine: Engine, request: pb.CreatePersonalTokenRequest) -> pb.CreatePersonalTokenResponse:
    subject_id = validate.required(request.personal_token.subject_id, "subject_id")
    display_name = validate.text(request.personal_token.display_name, "display_name", allow_empty=True)
    with writing(engine) as session:
        v = viewer_in(session)
        kind = _subject_kind(session, v, subject_id)
        row, secret = issue_personal_token(session, tenant_id=v.tenant_id, subject_kind=kind, subject_id=subject_id,
                                           display_name=display_name)
        session.flush()
        return pb.CreatePersonalTokenResponse(personal_token=convert.personal_token(row), secret=secret)


def list_(engine: Engine, request: pb.ListPersonalTokensRequest) -> pb.ListPersonalTokensResponse:
    v = viewer(engine)
    query = select(m.PersonalToken).where(m.PersonalToken.tenant_id == v.tenant_id, _visible(v))
    subject_id = request.subject_id.strip()
    if subject_id:
        query = query.where(m.PersonalToken.subject_id == subject_id)
    with reading(engine) as session:
        rows, token = page(session, query, label=m.PersonalToken.display_name, ident=m.PersonalToken.id,
                           requested_size=request.page_size, token=request.page_token,
                           scope={"list": "personal_tokens", "tenant": v.tenant_id, "subject_id": subject_id})
        return pb.ListPersonalTokensResponse(personal_tokens=[convert.personal_token(r) for r in rows],
                                             next_page_token=token)


def revoke(engine: Engine, request: pb.RevokePersonalTokenRequest) -> pb.PersonalToken:
    """Revoke at once (the next call with it is refused); revoking twice keeps the first time."""
    token_id = validate.identifier(request.personal_token_id, "personal_token_id")
    with writing(engine) as session:
        v = viewer_in(session)
        row = session.scalar(select(m.PersonalToken).where(m.PersonalToken.tenant_id == v.tenant_id,
                                                           m.PersonalToken.id == token_id, _visible(v)))
        if row is None:
            raise NotFound(f"personal token {token_id!r} not found", reason="PERSONAL_TOKEN_NOT_FOUND",
                           personal_token_id=token_id)
        if row.revoke_time is None:
            row.revoke_time = m.utcnow()
        session.flush()
        return convert.personal_token(row)


def revoke_subject(session: Session, tenant_id: str, subject_id: str) -> None:
    """Revoke every active token of a person being deleted."""
    session.execute(update(m.PersonalToken)
                    .where(m.PersonalToken.tenant_id == tenant_id, m.PersonalToken.subject_id == subject_id,
                           m.PersonalToken.revoke_time.is_(None))
                    .values(revoke_time=m.utcnow()))
