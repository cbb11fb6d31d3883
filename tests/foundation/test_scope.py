"""The effective-scope function over a partner tree with siblings at every level (depth 3)."""
from __future__ import annotations

import pytest

from libs.auth import Principal, PrincipalKind, Role, effective_scope
from libs.auth.scope import LevelKind, PartnerTree
from libs.errors import InvalidArgument, NotFound, PermissionDenied

#   A ── A1 ── A1x        B ── B1
#   │     └─── A1y
#   └─ A2 ── A2x
TREE = PartnerTree({"A": None, "B": None, "A1": "A", "A2": "A", "B1": "B", "A1x": "A1", "A1y": "A1", "A2x": "A2"})
CUSTOMERS = {"c_A1x": "A1x", "c_A2": "A2", "c_B1": "B1"}
T = "ten_1"


def scope(principal: Principal, kind: int, level_id: str = ""):
    return effective_scope(principal, kind, level_id, TREE, CUSTOMERS.get)


ADMIN = Principal(kind=PrincipalKind.OPERATOR, id="op1", tenant_id=T, role=Role.ADMIN)
MANAGER = Principal(kind=PrincipalKind.OPERATOR, id="op2", tenant_id=T, role=Role.MANAGER,
                    assigned_partner_ids=frozenset({"A1", "B1"}))
PARTNER_USER = Principal(kind=PrincipalKind.PARTNER_USER, id="pu1", tenant_id=T, partner_id="A1")
KEY = Principal(kind=PrincipalKind.MACHINE_KEY, id="mk1", tenant_id=T, partner_id="A", scopes=frozenset({"events:write"}))


def test_tree_subtrees() -> None:
    assert TREE.subtree("A") == {"A", "A1", "A2", "A1x", "A1y", "A2x"}
    assert TREE.subtree("A1") == {"A1", "A1x", "A1y"}
    assert TREE.subtree("nope") == frozenset()
    assert TREE.ancestors("A1x") == ["A1", "A"]


def test_admin_sees_everything_and_any_level() -> None:
    s = scope(ADMIN, LevelKind.ALL_PARTNERS)
    assert s.partner_ids is None and s.customer_id is None and s.tenant_id == T
    assert scope(ADMIN, LevelKind.UNSPECIFIED).partner_ids is None
    assert scope(ADMIN, LevelKind.PARTNER, "B").partner_ids == {"B", "B1"}
    c = scope(ADMIN, LevelKind.CUSTOMER, "c_B1")
    assert c.customer_id == "c_B1" and c.partner_ids == {"B1"}


def test_admin_asking_for_unknown_partner_or_customer_is_not_found() -> None:
    with pytest.raises(NotFound):
        scope(ADMIN, LevelKind.PARTNER, "Z")
    with pytest.raises(NotFound):
        scope(ADMIN, LevelKind.CUSTOMER, "c_missing")


def test_manager_all_partners_is_their_assigned_subtrees_only() -> None:
    for kind in (LevelKind.UNSPECIFIED, LevelKind.ALL_PARTNERS):
        s = scope(MANAGER, kind)
        assert s.partner_ids == {"A1", "A1x", "A1y", "B1"}


def test_manager_may_narrow_to_a_managed_partner_or_customer() -> None:
    assert scope(MANAGER, LevelKind.PARTNER, "A1x").partner_ids == {"A1x"}
    assert scope(MANAGER, LevelKind.CUSTOMER, "c_A1x").customer_id == "c_A1x"


@pytest.mark.parametrize("sibling", ["A", "A2", "A2x", "B", "Z"])
def test_manager_asking_for_a_partner_they_do_not_manage_is_denied(sibling: str) -> None:
    with pytest.raises(PermissionDenied) as err:
        scope(MANAGER, LevelKind.PARTNER, sibling)
    assert err.value.reason == "PARTNER_NOT_VISIBLE"


def test_manager_asking_for_a_foreign_customer_is_not_found() -> None:
    with pytest.raises(NotFound):
        scope(MANAGER, LevelKind.CUSTOMER, "c_A2")


def test_manager_unassigned_partner_vanishes_at_once() -> None:
    fewer = Principal(kind=PrincipalKind.OPERATOR, id="op2", tenant_id=T, role=Role.MANAGER,
                      assigned_partner_ids=frozenset({"B1"}))
    with pytest.raises(PermissionDenied):
        scope(fewer, LevelKind.PARTNER, "A1")


@pytest.mark.parametrize("kind,level_id", [
    (LevelKind.UNSPECIFIED, ""),  # absent
    (LevelKind.PARTNER, "A1"),  # own level
    (LevelKind.PARTNER, "A2"),  # sibling
    (LevelKind.PARTNER, "A"),  # parent
    (LevelKind.PARTNER, "B"),  # another branch
    (LevelKind.ALL_PARTNERS, ""),  # everything
    (LevelKind.CUSTOMER, "c_B1"),  # foreign customer
    (LevelKind.PARTNER, "Z"),  # unknown
])
def test_partner_user_is_forced_to_their_own_slice(kind: int, level_id: str) -> None:
    s = scope(PARTNER_USER, kind, level_id)
    assert s.partner_ids == {"A1", "A1x", "A1y"} and s.customer_id is None
    assert (s.level_kind, s.level_id) == (LevelKind.PARTNER, "A1")


def test_partner_user_may_narrow_inside_their_slice() -> None:
    assert scope(PARTNER_USER, LevelKind.PARTNER, "A1y").partner_ids == {"A1y"}
    s = scope(PARTNER_USER, LevelKind.CUSTOMER, "c_A1x")
    assert s.customer_id == "c_A1x" and s.partner_ids == {"A1x"}


def test_machine_keys_cannot_read() -> None:
    with pytest.raises(PermissionDenied):
        scope(KEY, LevelKind.ALL_PARTNERS)


def test_unknown_level_kind_is_invalid() -> None:
    with pytest.raises(InvalidArgument):
        scope(ADMIN, 99)


def test_scope_always_carries_the_principals_tenant() -> None:
    other = Principal(kind=PrincipalKind.OPERATOR, id="op9", tenant_id="ten_2", role=Role.ADMIN)
    assert scope(other, LevelKind.PARTNER, "A").tenant_id == "ten_2"
