"""The oracle: who sees what, and what every answer must be, computed from the test's own record
of the world (never from the services' code).

Rules (the product's promise): admins see their whole tenant; a managing operator sees the
subtrees of the partners assigned to them; a partner user sees their partner's subtree and is
forced onto it whatever level they ask; machine keys read nothing and write only for the
customers of their binding's subtree (all of the tenant when unbound); a revoked key is nobody.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tests.isolation.world import Actor, Event, MetricDef, TenantWorld, World

__all__ = ["Scope", "Refusal", "subtree", "visible_partners", "expected_scope", "matches", "aggregate",
           "events_in", "visible_ids", "LevelTarget", "resolve_target"]

LEVEL_ALL, LEVEL_PARTNER, LEVEL_CUSTOMER = 1, 2, 3
# Filter operators (partneros.common.v1.FilterOperator).
EQ, NE, IN, NOT_IN, GT, GE, LT, LE, CONTAINS, EXISTS, NOT_EXISTS = range(1, 12)
_MISSING = object()


@dataclass(frozen=True)
class Scope:
    """The slice a read must cover exactly."""

    tenant_id: str
    partners: frozenset[str]
    customer: str | None
    level_kind: int
    level_id: str


@dataclass(frozen=True)
class Refusal:
    code: str
    reason: str = ""


def subtree(parents: dict[str, str | None], root: str) -> frozenset[str]:
    if root not in parents:
        return frozenset()
    out, frontier = {root}, [root]
    while frontier:
        node = frontier.pop()
        for child, parent in parents.items():
            if parent == node and child not in out:
                out.add(child)
                frontier.append(child)
    return frozenset(out)


def visible_partners(world: World, actor: Actor) -> frozenset[str]:
    t = world.tenant_of(actor)
    if actor.revoked:
        return frozenset()
    if actor.kind == "admin" or (actor.kind == "key" and not actor.partner_id):
        return frozenset(t.parents)
    if actor.kind == "manager":
        return frozenset().union(*(subtree(t.parents, p) for p in actor.assigned)) if actor.assigned else frozenset()
    return subtree(t.parents, actor.partner_id or "")


@dataclass(frozen=True)
class LevelTarget:
    """A requested level, as the state machine draws it: kind none|all|partner|customer and, for
    the last two, (tenant key, partner or customer key) or None for an id nobody has."""

    kind: str
    target: tuple[str, str] | None = None


UNKNOWN_PARTNER, UNKNOWN_CUSTOMER = "ptn_00000000deadbeef", "cus_00000000deadbeef"


def resolve_target(world: World, level: LevelTarget) -> str:
    """The id a level target names."""
    if level.kind == "partner":
        return world.tenants[level.target[0]].partners[level.target[1]] if level.target else UNKNOWN_PARTNER
    if level.kind == "customer":
        return world.tenants[level.target[0]].customers[level.target[1]].id if level.target else UNKNOWN_CUSTOMER
    return ""


def _customer(t: TenantWorld, customer_id: str):  # noqa: ANN202
    return t.customer_by_id(customer_id)


def expected_scope(world: World, actor: Actor, kind: str, level_id: str) -> Scope | Refusal:
    """The slice (or refusal) for `actor` asking `kind` ('none'|'all'|'partner'|'customer') at `level_id`."""
    if actor.revoked:
        return Refusal("UNAUTHENTICATED")
    if actor.kind == "key":
        return Refusal("PERMISSION_DENIED", "PERMISSION_MISSING")
    t = world.tenant_of(actor)
    visible = visible_partners(world, actor)
    forced = actor.kind == "user"
    own = (Scope(t.id, visible, None, LEVEL_PARTNER, actor.partner_id or "") if forced
           else Scope(t.id, visible, None, LEVEL_ALL, ""))
    if kind in ("none", "all"):
        return own
    if kind == "partner":
        if level_id in t.parents and level_id in visible:
            return Scope(t.id, subtree(t.parents, level_id), None, LEVEL_PARTNER, level_id)
        if forced:
            return own
        return Refusal("NOT_FOUND", "PARTNER_NOT_FOUND") if actor.kind == "admin" else Refusal(
            "PERMISSION_DENIED", "PARTNER_NOT_VISIBLE")
    customer = _customer(t, level_id)
    if customer is not None and customer.partner_id in visible:
        return Scope(t.id, frozenset({customer.partner_id}), customer.id, LEVEL_CUSTOMER, customer.id)
    return own if forced else Refusal("NOT_FOUND", "CUSTOMER_NOT_FOUND")


def _at(properties: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = properties
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return _MISSING
        value = value[key]
    return value


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _equal(v: Any, x: Any) -> bool:
    """JSON-typed equality: "1" is not 1; 1 equals 1.0."""
    if isinstance(x, str):
        return isinstance(v, str) and v == x
    if isinstance(x, bool):
        return isinstance(v, bool) and v == x
    if x is None:
        return v is None
    return _is_number(v) and float(v) == float(x)


def _filter(properties: dict[str, Any], path: tuple[str, ...], op: int, values: tuple[Any, ...]) -> bool:
    v = _at(properties, path)
    if op in (EQ, IN):
        return v is not _MISSING and any(_equal(v, x) for x in values)
    if op in (NE, NOT_IN):
        return not (v is not _MISSING and any(_equal(v, x) for x in values))
    if op in (GT, GE, LT, LE):
        if not _is_number(v):
            return False
        x = float(values[0])
        return {GT: v > x, GE: v >= x, LT: v < x, LE: v <= x}[op]
    if op == CONTAINS:
        return isinstance(v, str) and str(values[0]) in v
    if op == EXISTS:
        return v is not _MISSING
    if op == NOT_EXISTS:
        return v is _MISSING
    raise ValueError(op)


Filter = tuple[tuple[str, ...], int, tuple[Any, ...]]


def matches(event: Event, names: Iterable[str], groups: Iterable[Iterable[Filter]], extra: Iterable[Filter] = ()) -> bool:
    names = tuple(names)
    if names and event.name not in names:
        return False
    groups = [tuple(g) for g in groups if g]
    if groups and not any(all(_filter(event.properties, *f) for f in g) for g in groups):
        return False
    return all(_filter(event.properties, *f) for f in extra)


def events_in(world: World, scope: Scope, start: dt.datetime | None = None, end: dt.datetime | None = None) -> list[Event]:
    """The tenant's events inside the scope (by partner at event time) and the window."""
    return [e for e in world.events
            if e.tenant_id == scope.tenant_id and e.partner_id in scope.partners
            and (scope.customer is None or e.customer_id == scope.customer)
            and (start is None or start <= e.ts) and (end is None or e.ts < end)]


def _unique_key(v: Any) -> Any:
    if isinstance(v, str):
        return ("s", v)
    if isinstance(v, bool):
        return ("b", v)
    if _is_number(v):
        return ("n", float(v))
    return ("j", repr(v))


def aggregate(definition: MetricDef, events: Iterable[Event], extra: Iterable[Filter] = ()) -> tuple[float, int]:
    """(value, skipped) of a metric over `events` (already scoped and windowed)."""
    rows = [e for e in events if matches(e, definition.event_names, definition.groups, extra)]
    if definition.aggregation == "count":
        return float(len(rows)), 0
    if definition.aggregation == "sum":
        values = [_at(e.properties, definition.field) for e in rows]
        numbers = [float(v) for v in values if _is_number(v)]
        return float(sum(numbers)), len(values) - len(numbers)
    if definition.aggregation == "unique":
        if definition.field is None:
            return float(len({e.customer_id for e in rows})), 0
        keys = {_unique_key(v) for v in (_at(e.properties, definition.field) for e in rows)
                if v is not _MISSING and v is not None}
        return float(len(keys)), 0
    raise ValueError(definition.aggregation)


@dataclass(frozen=True)
class VisibleIds:
    """Every id the actor may meet in a response; any other id of the world is a leak."""

    allowed: frozenset[str]
    universe: frozenset[str]


def visible_ids(world: World, actor: Actor) -> VisibleIds:
    universe: set[str] = set()
    for t in world.tenants.values():
        universe |= {t.id, *t.parents, *(c.id for c in t.customers.values()), *t.partner_users, *t.operator_ids,
                     *t.key_ids, *t.metrics.values(), *(d.id for d in t.dashboards.values())}
    t = world.tenant_of(actor)
    partners = visible_partners(world, actor)
    allowed = {t.id, actor.id, *partners}
    allowed |= {c.id for c in t.customers.values() if c.partner_id in partners}
    # An event belongs to the partner its customer had at event time: a customer who moved away
    # is still named by the history that happened in the view (and only by that).
    allowed |= {e.customer_id for e in world.events if e.tenant_id == t.id and e.partner_id in partners}
    allowed |= {u for u, p in t.partner_users.items() if p in partners}
    if actor.kind != "key":
        allowed |= set(t.metrics.values())
        allowed |= {d.id for d in t.dashboards.values() if actor.kind != "user" or d.shared_with_partners}
    if actor.kind == "admin":
        allowed |= t.operator_ids | t.key_ids
    return VisibleIds(frozenset(allowed), frozenset(universe))
