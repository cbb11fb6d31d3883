"""The world the leak suite attacks, and the test's own record of it (the oracle's only input).

Two tenants built alike: the same partner names, customer names, emails and external ids, so a
join on a name or an email instead of an id shows up as a leak. Each has a partner tree of depth
three with siblings at every level, two customers per partner (plus one customer that exists in
that tenant only), managing operators with partial assignments, partner users at every depth,
bound and unbound machine keys and a revoked one. Metrics, dashboards, events (with event ids
that collide across tenants) and the revocation go through the real gRPC APIs (see seed.py).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from partneros.dashboards.v1 import dashboards_pb2 as dpb
from sqlalchemy import Engine

from tests import factories

__all__ = [
    "UTC", "AS_OF", "DATA_START", "DATA_END", "TREE", "TENANTS", "CUSTOMER_KEYS", "ONLY", "MANAGERS", "USERS",
    "KEYS", "ACTOR_NAMES", "PARTNER_KEYS", "Actor", "Customer", "Event", "MetricDef", "TenantWorld", "World",
    "build_directory",
]

UTC = dt.timezone.utc
# Every relative window is asked "as of" this instant, so answers are reproducible.
AS_OF = dt.datetime(2024, 5, 15, 15, 30, tzinfo=UTC)
DATA_START = dt.datetime(2024, 1, 20, tzinfo=UTC)
DATA_END = dt.datetime(2024, 5, 15, 12, tzinfo=UTC)

# (key, parent key, name): depth 3, siblings at each level (d1/d2/d3, r1/r2, s1/s2).
TREE = (
    ("d1", None, "North"), ("r1", "d1", "North Resellers"), ("r2", "d1", "North Direct"),
    ("s1", "r1", "Sub One"), ("s2", "r1", "Sub Two"), ("s3", "r2", "Sub Three"),
    ("d2", None, "South"), ("r3", "d2", "South Resellers"), ("s4", "r3", "Sub Four"),
    ("d3", None, "West"),
)
PARTNER_KEYS = tuple(key for key, _, _ in TREE)
TENANTS = ("t1", "t2")
# A customer that exists in one tenant only: naming it from the other tenant must find nothing.
ONLY = {"t1": ("only1", "s1"), "t2": ("only2", "s4")}
CUSTOMER_KEYS = tuple(f"{p}-{s}" for p in PARTNER_KEYS for s in "ab") + tuple(k for k, _ in ONLY.values())
MANAGERS = {"mgr.r1+d2": ("r1", "d2"), "mgr.s3": ("s3",), "mgr.none": ()}
USERS = ("d1", "r1", "s1", "d3", "r3")
KEYS = {"key.all": None, "key.r1": "r1", "key.s4": "s4"}
_SHORT_NAMES = ("admin", *MANAGERS, *(f"user.{u}" for u in USERS), *KEYS, "key.revoked")
ACTOR_NAMES = tuple(f"{t}:{n}" for t in TENANTS for n in _SHORT_NAMES)


@dataclass(frozen=True)
class Actor:
    """A principal of the world. kind: admin | manager | user | key."""

    name: str
    tenant: str
    kind: str
    id: str
    token: str
    partner_id: str | None = None  # a user's partner, a key's binding
    assigned: tuple[str, ...] = ()  # a manager's partner ids
    revoked: bool = False

    def describe(self) -> str:
        extra = f" partner={self.partner_id}" if self.partner_id else ""
        extra += f" assigned={list(self.assigned)}" if self.kind == "manager" else ""
        return f"{self.name} ({self.kind}{', REVOKED' if self.revoked else ''}{extra})"


@dataclass(frozen=True)
class Customer:
    id: str
    tenant: str
    key: str
    partner_id: str
    email: str
    external_id: str

    @property
    def name(self) -> str:
        return f"Customer {self.key}"


@dataclass(frozen=True)
class Event:
    """An event as the test put it on the stream; partner_id is the customer's partner at event time."""

    tenant_id: str
    event_id: str
    customer_id: str
    partner_id: str
    name: str
    ts: dt.datetime
    properties: dict[str, Any]


@dataclass(frozen=True)
class MetricDef:
    """The oracle's copy of a metric definition. groups: OR of AND-ed (path, operator, values)."""

    aggregation: str
    event_names: tuple[str, ...] = ()
    field: tuple[str, ...] | None = None
    groups: tuple[tuple[tuple[tuple[str, ...], int, tuple[Any, ...]], ...], ...] = ()


@dataclass
class TenantWorld:
    key: str
    id: str
    parents: dict[str, str | None]  # partner id -> parent id: the test's own copy of the tree
    partners: dict[str, str]  # partner key -> id
    customers: dict[str, Customer]  # customer key -> customer
    actors: dict[str, Actor]  # short name -> actor
    partner_users: dict[str, str] = field(default_factory=dict)  # user id -> partner id
    operator_ids: set[str] = field(default_factory=set)
    key_ids: set[str] = field(default_factory=set)
    metrics: dict[str, str] = field(default_factory=dict)  # metric key -> id
    definitions: dict[str, MetricDef] = field(default_factory=dict)  # metric id -> definition
    dashboards: dict[str, dpb.Dashboard] = field(default_factory=dict)  # dashboard key -> as created

    def customer_by_id(self, customer_id: str) -> Customer | None:
        return next((c for c in self.customers.values() if c.id == customer_id), None)

    def partner_name(self, partner_id: str) -> str:
        key = next(k for k, v in self.partners.items() if v == partner_id)
        return next(name for k, _, name in TREE if k == key)


@dataclass
class World:
    tenants: dict[str, TenantWorld]
    events: list[Event] = field(default_factory=list)
    # (tenant id, customer id, event id) of every stored event: the dedupe oracle.
    stored: set[tuple[str, str, str]] = field(default_factory=set)
    # Customer references each tenant's writers sent (a quarantine entry may echo them to its admin).
    sent: dict[str, set[str]] = field(default_factory=lambda: {key: set() for key in TENANTS})

    def actor(self, name: str) -> Actor:
        tenant, short = name.split(":", 1)
        return self.tenants[tenant].actors[short]

    def tenant_of(self, actor: Actor) -> TenantWorld:
        return self.tenants[actor.tenant]

    def add_event(self, event: Event) -> None:
        self.events.append(event)
        self.stored.add((event.tenant_id, event.customer_id, event.event_id))


def _tenant(engine: Engine, key: str) -> TenantWorld:
    tenant_id, admin_token = factories.tenant(engine, name="Acme Partner Program")
    partners: dict[str, str] = {}
    parents: dict[str, str | None] = {}
    for pkey, parent, name in TREE:
        parent_id = partners[parent] if parent else None
        partners[pkey] = factories.partner(engine, tenant_id, name, parent_id)
        parents[partners[pkey]] = parent_id
    customers: dict[str, Customer] = {}
    owners = {f"{p}-{s}": p for p in PARTNER_KEYS for s in "ab"}
    owners[ONLY[key][0]] = ONLY[key][1]
    for ckey, pkey in owners.items():
        email = f"{ckey}@shared.example.com" if ckey not in ("only1", "only2") else f"{ckey}@{key}.example.com"
        external = f"ext-{ckey}"
        customer = Customer("", key, ckey, partners[pkey], email, external)
        cid = factories.customer(engine, tenant_id, partners[pkey], email=email, external_id=external,
                                 name=customer.name)
        customers[ckey] = dataclasses.replace(customer, id=cid)
    actors = {"admin": Actor(f"{key}:admin", key, "admin", "", admin_token)}
    world = TenantWorld(key, tenant_id, parents, partners, customers, actors)
    for short, assigned_keys in MANAGERS.items():
        assigned = tuple(partners[p] for p in assigned_keys)
        op_id, token = factories.operator(engine, tenant_id, role="manager", assigned=assigned)
        actors[short] = Actor(f"{key}:{short}", key, "manager", op_id, token, assigned=assigned)
        world.operator_ids.add(op_id)
    for pkey in USERS:
        user_id, token = factories.partner_user(engine, tenant_id, partners[pkey])
        actors[f"user.{pkey}"] = Actor(f"{key}:user.{pkey}", key, "user", user_id, token, partner_id=partners[pkey])
        world.partner_users[user_id] = partners[pkey]
    for short, pkey in KEYS.items():
        bound = partners[pkey] if pkey else None
        key_id, secret = factories.machine_key(engine, tenant_id, partner_id=bound)
        actors[short] = Actor(f"{key}:{short}", key, "key", key_id, secret, partner_id=bound)
        world.key_ids.add(key_id)
    return world


def build_directory(engine: Engine) -> World:
    """Both tenants' directories, written with tests.factories (fast; the directory API is proven
    by its own tests). The admin ids, the revoked key and everything else are added by seed.py."""
    return World({key: _tenant(engine, key) for key in TENANTS})
