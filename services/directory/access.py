"""What the caller may see of the directory: the whole tenant or a set of partner subtrees.

Anything outside it is answered as NOT_FOUND (or, when named as a reference in a write, as an
unknown partner) so that a caller learns nothing about partners they do not see.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Engine, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from libs.auth import PartnerTree, Principal, PrincipalKind, current_principal, visible_partner_ids
from libs.errors import InvalidArgument, NotFound, Unauthenticated
from libs.identity import load_tree
from libs.identity import models as m
from libs.identity.authenticate import person_principal
from services.directory.db import lock_tenant

__all__ = ["Viewer", "viewer", "viewer_in", "tree_in_session"]


@dataclass(frozen=True)
class Viewer:
    """The caller, their tenant's partner tree and the partners they see (None = all)."""

    principal: Principal
    tree: PartnerTree
    visible: frozenset[str] | None

    @property
    def tenant_id(self) -> str:
        return self.principal.tenant_id

    @property
    def sees_whole_tenant(self) -> bool:
        return self.visible is None

    def sees(self, partner_id: str | None) -> bool:
        """Whether `partner_id` is a partner of the tenant inside the caller's view."""
        return bool(partner_id) and partner_id in self.tree and (self.visible is None or partner_id in self.visible)

    def partner_filter(self, column: InstrumentedAttribute) -> ColumnElement[bool]:
        """A predicate keeping rows whose partner column is inside the view."""
        return true() if self.visible is None else column.in_(sorted(self.visible))

    def require_partner(self, partner_id: str) -> str:
        """A partner named by a request path: NOT_FOUND unless visible."""
        if not self.sees(partner_id):
            raise NotFound(f"partner {partner_id!r} not found", reason="PARTNER_NOT_FOUND", partner_id=partner_id)
        return partner_id

    def reference(self, partner_id: str, field: str) -> str:
        """A partner named inside a resource (parent, owner, assignment): INVALID_ARGUMENT unless visible."""
        if not self.sees(partner_id):
            raise InvalidArgument(f"{field}: partner {partner_id!r} does not exist", reason="UNKNOWN_PARTNER",
                                  field=field, partner_id=partner_id)
        return partner_id


def viewer(engine: Engine, principal: Principal | None = None) -> Viewer:
    """The request's viewer, from the current partner tree (moves apply on the next call)."""
    principal = principal or current_principal()
    tree = load_tree(engine, principal.tenant_id)
    return Viewer(principal, tree, visible_partner_ids(principal, tree))


def tree_in_session(session: Session, tenant_id: str) -> PartnerTree:
    """The tree as seen by an open write transaction (for checks that must not race)."""
    rows = session.execute(select(m.Partner.id, m.Partner.parent_id).where(m.Partner.tenant_id == tenant_id))
    return PartnerTree({pid: parent for pid, parent in rows})


def viewer_in(session: Session, principal: Principal | None = None) -> Viewer:
    """The viewer of a write: takes the tenant's write lock first, then reads the tree, so the
    write's checks and its commit see the same directory. The caller was authenticated before the
    lock; a write that waited for it runs only if the caller is still who they were (not deleted,
    not demoted, not reassigned meanwhile): the change that waited ahead of it applies to it too."""
    principal = principal or current_principal()
    lock_tenant(session, principal.tenant_id)
    if not _still_current(session, principal):
        raise Unauthenticated("your credentials changed while this request waited; send it again",
                              reason="CREDENTIALS_CHANGED")
    tree = tree_in_session(session, principal.tenant_id)
    return Viewer(principal, tree, visible_partner_ids(principal, tree))


_PERSON_KINDS = {PrincipalKind.OPERATOR: "operator", PrincipalKind.PARTNER_USER: "partner_user"}


def _still_current(session: Session, principal: Principal) -> bool:
    """Whether the person behind `principal` still exists with the same role and reach (read as
    authentication reads them)."""
    kind = _PERSON_KINDS.get(principal.kind)
    if kind is None:  # machine keys write no directory
        return True
    now = person_principal(session, kind, principal.id, principal.tenant_id)
    return now is not None and (now.role, now.assigned_partner_ids, now.partner_id) == (
        principal.role, principal.assigned_partner_ids, principal.partner_id)
