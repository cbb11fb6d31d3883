"""The authenticated caller."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

__all__ = ["Principal", "PrincipalKind", "Role"]


class PrincipalKind(enum.Enum):
    OPERATOR = "operator"
    PARTNER_USER = "partner_user"
    MACHINE_KEY = "machine_key"


class Role(enum.Enum):
    ADMIN = "admin"
    MANAGER = "manager"


@dataclass(frozen=True, kw_only=True)
class Principal:
    """A caller of one tenant. Immutable: a request sees one consistent identity."""

    kind: PrincipalKind
    id: str
    tenant_id: str
    role: Role | None = None  # operators only
    partner_id: str | None = None  # a partner user's partner, or a machine key's binding
    assigned_partner_ids: frozenset[str] = field(default_factory=frozenset)  # managers only
    scopes: frozenset[str] = field(default_factory=frozenset)  # machine keys only
    display_name: str = ""

    @property
    def is_admin(self) -> bool:
        return self.kind is PrincipalKind.OPERATOR and self.role is Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.kind is PrincipalKind.OPERATOR and self.role is Role.MANAGER

    @property
    def is_operator(self) -> bool:
        return self.kind is PrincipalKind.OPERATOR
