"""Who is calling, what they may do, and which slice of the program they see."""
from libs.auth.bearer import bearer_token
from libs.auth.context import current_credentials, current_principal
from libs.auth.permissions import ALL_PERMISSIONS, MACHINE_SCOPES, permissions_for
from libs.auth.principal import Principal, PrincipalKind, Role
from libs.auth.scope import EffectiveScope, PartnerTree, effective_scope, visible_partner_ids

__all__ = [
    "ALL_PERMISSIONS", "MACHINE_SCOPES", "EffectiveScope", "PartnerTree", "Principal",
    "PrincipalKind", "Role", "bearer_token", "current_credentials", "current_principal", "effective_scope",
    "permissions_for", "visible_partner_ids",
]
