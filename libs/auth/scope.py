"""The effective scope: what slice of the tenant a principal's request may read.

One pure function decides it; the SQL compiler accepts nothing else.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from libs.auth.principal import Principal, PrincipalKind
from libs.errors import InvalidArgument, NotFound, PermissionDenied

__all__ = ["PartnerTree", "EffectiveScope", "LevelKind", "effective_scope", "visible_partner_ids"]


class LevelKind:
    """The level names used by the scope function (mirror of common.v1.LevelKind)."""

    UNSPECIFIED = 0
    ALL_PARTNERS = 1
    PARTNER = 2
    CUSTOMER = 3


class PartnerTree:
    """A tenant's partner tree: parent links, read-only, with subtree look-ups."""

    def __init__(self, parents: Mapping[str, str | None]) -> None:
        self._parents = dict(parents)
        children: dict[str, list[str]] = {}
        for pid, parent in self._parents.items():
            if parent is not None:
                children.setdefault(parent, []).append(pid)
        self._children = children

    def __contains__(self, partner_id: object) -> bool:
        return partner_id in self._parents

    @property
    def partner_count(self) -> int:  # not __len__: an empty tree must stay truthy where callers test `tree`
        return len(self._parents)

    @property
    def partner_ids(self) -> frozenset[str]:
        return frozenset(self._parents)

    def parent(self, partner_id: str) -> str | None:
        return self._parents.get(partner_id)

    def subtree(self, partner_id: str) -> frozenset[str]:
        """The partner and all of its descendants (empty if unknown)."""
        if partner_id not in self._parents:
            return frozenset()
        seen, stack = {partner_id}, [partner_id]
        while stack:
            for child in self._children.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return frozenset(seen)

    def ancestors(self, partner_id: str) -> list[str]:
        """Parents of a partner, nearest first."""
        out, current = [], self._parents.get(partner_id)
        while current is not None and current not in out:
            out.append(current)
            current = self._parents.get(current)
        return out


@dataclass(frozen=True)
class EffectiveScope:
    """What a query may read. partner_ids None means every partner of the tenant."""

    tenant_id: str
    partner_ids: frozenset[str] | None
    customer_id: str | None
    level_kind: int
    level_id: str

    def __post_init__(self) -> None:
        if not self.tenant_id:
            raise ValueError("an effective scope always has a tenant")

    @property
    def is_whole_tenant(self) -> bool:
        return self.partner_ids is None and self.customer_id is None

    def cache_key(self) -> tuple:
        parts = None if self.partner_ids is None else tuple(sorted(self.partner_ids))
        return (self.tenant_id, parts, self.customer_id)


def visible_partner_ids(principal: Principal, tree: PartnerTree) -> frozenset[str] | None:
    """Partners the principal may see; None means all of the tenant (admins, unbound keys)."""
    if principal.is_admin:
        return None
    if principal.is_manager:
        out: set[str] = set()
        for pid in principal.assigned_partner_ids:
            out |= tree.subtree(pid)
        return frozenset(out)
    if principal.kind is PrincipalKind.PARTNER_USER:
        return tree.subtree(principal.partner_id or "")
    if principal.kind is PrincipalKind.MACHINE_KEY:
        return None if not principal.partner_id else tree.subtree(principal.partner_id)
    return frozenset()


def effective_scope(
    principal: Principal,
    level_kind: int,
    level_id: str,
    tree: PartnerTree,
    customer_partner: Callable[[str], str | None],
) -> EffectiveScope:
    """Turn (principal, requested level) into the slice the request may read.

    - admins: any level of their tenant;
    - managing operators: their assigned partners' subtrees; any other partner is PERMISSION_DENIED;
    - partner users: forced to their own subtree whatever they ask (a narrower sub-partner or
      customer inside it is honoured);
    - machine keys read nothing.
    `customer_partner` maps a customer id of this tenant to its partner id (None if unknown).
    """
    tenant = principal.tenant_id
    if principal.kind is PrincipalKind.MACHINE_KEY or not (
        principal.is_operator or principal.kind is PrincipalKind.PARTNER_USER
    ):
        raise PermissionDenied("machine keys cannot read", reason="READ_NOT_ALLOWED")
    visible = visible_partner_ids(principal, tree)
    forced_partner = principal.kind is PrincipalKind.PARTNER_USER

    def own_slice() -> EffectiveScope:
        if forced_partner:
            return EffectiveScope(tenant, visible, None, LevelKind.PARTNER, principal.partner_id or "")
        return EffectiveScope(tenant, visible, None, LevelKind.ALL_PARTNERS, "")

    if level_kind in (LevelKind.UNSPECIFIED, LevelKind.ALL_PARTNERS):
        return own_slice()
    if level_kind == LevelKind.PARTNER:
        if level_id in tree and (visible is None or level_id in visible):
            return EffectiveScope(tenant, tree.subtree(level_id), None, LevelKind.PARTNER, level_id)
        if forced_partner:
            return own_slice()
        if visible is None:
            raise NotFound(f"partner {level_id!r} not found", reason="PARTNER_NOT_FOUND", partner_id=level_id)
        raise PermissionDenied(
            f"partner {level_id!r} is not one you manage", reason="PARTNER_NOT_VISIBLE", partner_id=level_id
        )
    if level_kind == LevelKind.CUSTOMER:
        partner = customer_partner(level_id) if level_id else None
        if partner is not None and (visible is None or partner in visible):
            return EffectiveScope(tenant, frozenset({partner}), level_id, LevelKind.CUSTOMER, level_id)
        if forced_partner:
            return own_slice()
        raise NotFound(f"customer {level_id!r} not found", reason="CUSTOMER_NOT_FOUND", customer_id=level_id)
    raise InvalidArgument(f"unknown level kind {level_kind}", reason="INVALID_LEVEL", field="level.kind")
