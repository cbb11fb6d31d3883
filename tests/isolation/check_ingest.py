"""IngestEvents, RecordEvent and the quarantine as any principal.

A customer outside the writer's reach (another partner's, another tenant's) must be treated
exactly like a customer nobody has: the same status, reason and message, and nothing stored.
Event ids are drawn from a tiny pool, so they collide across tenants and customers: only the
same (tenant, customer, event id) is a duplicate.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from google.protobuf import json_format
from partneros.ingest.v1 import ingest_pb2 as ipb

from tests.isolation.oracle import visible_partners
from tests.isolation.probe import Probe, normalised_error
from tests.isolation.seed import struct
from tests.isolation.world import DATA_START, Actor, Customer, Event, World

__all__ = ["Send", "reference", "check_ingest", "check_record", "check_quarantine", "UNKNOWN_REFS"]

UNKNOWN_REFS = {"customer_id": "cus_00000000deadbeef", "external_id": "ext-nobody", "email": "nobody@nowhere.example.com"}
ACCEPTED, DUPLICATE, QUARANTINED, REJECTED = (ipb.EVENT_STATUS_ACCEPTED, ipb.EVENT_STATUS_DUPLICATE,
                                              ipb.EVENT_STATUS_QUARANTINED, ipb.EVENT_STATUS_REJECTED)


@dataclass(frozen=True)
class Send:
    """One event a writer sends: the customer named (tenant key, customer key; None for nobody),
    how it is named, its event id (from a small pool) and its time (hours after DATA_START)."""

    target: tuple[str, str] | None
    ref_kind: str
    event_no: int
    hours: int
    amount: int = 10


def reference(world: World, send: Send) -> str:
    if send.target is None:
        return UNKNOWN_REFS[send.ref_kind]
    c = world.tenants[send.target[0]].customers[send.target[1]]
    return {"customer_id": c.id, "external_id": c.external_id, "email": c.email}[send.ref_kind]


def _resolve(world: World, writer: Actor, send: Send) -> Customer | None:
    """The writer's-tenant customer the reference names (by value, as the service must), if it may reach it."""
    ref = reference(world, send).strip().lower() if send.ref_kind == "email" else reference(world, send)
    t = world.tenant_of(writer)
    field = {"customer_id": "id", "external_id": "external_id", "email": "email"}[send.ref_kind]
    found = next((c for c in t.customers.values() if getattr(c, field) == ref), None)
    if found is None or found.partner_id not in visible_partners(world, writer):
        return None
    return found


def _input(world: World, send: Send, value: str | None = None) -> ipb.EventInput:
    message = ipb.EventInput(event_id=f"sm-{send.event_no}", name="purchase",
                             customer=ipb.CustomerRef(**{send.ref_kind: value if value is not None else reference(world, send)}),
                             properties=struct({"amount": send.amount, "plan": {"tier": "gold"}, "via": "attack"}))
    message.timestamp.FromDatetime(_when(send))
    return message


def _when(send: Send) -> dt.datetime:
    return DATA_START + dt.timedelta(hours=send.hours)


def _stored(world: World, writer: Actor, send: Send, customer: Customer, batch: set) -> int:
    """ACCEPTED (and recorded in the oracle) or DUPLICATE."""
    key = (world.tenant_of(writer).id, customer.id, f"sm-{send.event_no}")
    if key in world.stored or key in batch:
        return DUPLICATE
    batch.add(key)
    return ACCEPTED


def _record(world: World, writer: Actor, send: Send, customer: Customer) -> None:
    world.add_event(Event(world.tenant_of(writer).id, f"sm-{send.event_no}", customer.id, customer.partner_id,
                          "purchase", _when(send), {"amount": send.amount, "plan": {"tier": "gold"}, "via": "attack"}))


def check_ingest(probe: Probe, writer: Actor, sends: tuple[Send, ...], jsonl: bool = False) -> None:
    """A batch (native, or JSON lines through the format plugin) naming the `sends` customers."""
    world = probe.world
    controls = sorted({s.ref_kind for s in sends})
    request = ipb.IngestEventsRequest(events=[_input(world, s) for s in sends])
    for kind in controls:  # one event per reference kind naming a customer nobody has
        request.events.append(_input(world, Send(None, kind, 0, 0)))
    if jsonl:
        lines = [json.dumps(json_format.MessageToDict(e, preserving_proto_field_name=True)) for e in request.events]
        request = ipb.IngestEventsRequest(format="jsonl", data="\n".join(lines).encode())
    echo = frozenset(reference(world, s) for s in sends)
    world.sent[writer.tenant] |= echo
    outcome = probe.call(writer, "ingest", "IngestEvents", request, echo=echo)
    if writer.revoked or writer.kind != "key":
        probe.expect_error(writer, request, outcome, "UNAUTHENTICATED" if writer.revoked else "PERMISSION_DENIED")
        return
    probe.expect(outcome.ok, writer, request, outcome, "the batch was refused")
    results = list(outcome.response.results)
    control = {kind: results[len(sends) + i] for i, kind in enumerate(controls)}
    batch: set = set()
    for i, send in enumerate(sends):
        got = results[i]
        customer = _resolve(world, writer, send)
        if customer is None:
            same = control[send.ref_kind]
            probe.expect((got.status, got.reason, got.message.replace(f"[{i}]", "[i]"))
                         == (same.status, same.reason, same.message.replace(f"[{same.index}]", "[i]")),
                         writer, request, outcome, f"event {i} naming a customer outside the key's reach got "
                         f"{got.status} {got.reason} {got.message!r}, unlike one nobody has: {same.status} {same.reason}")
            continue
        want = _stored(world, writer, send, customer, batch)
        probe.expect(got.status == want and got.event_id == f"sm-{send.event_no}", writer, request, outcome,
                     f"event {i} for a reachable customer: status {got.status}, expected {want}")
        if want == ACCEPTED:
            _record(world, writer, send, customer)


def check_record(probe: Probe, actor: Actor, send: Send) -> None:
    world = probe.world
    request = ipb.RecordEventRequest(event=_input(world, send))
    world.sent[actor.tenant].add(reference(world, send))
    outcome = probe.call(actor, "ingest", "RecordEvent", request, echo=frozenset({reference(world, send)}))
    if actor.revoked or actor.kind == "key":
        probe.expect_error(actor, request, outcome, "UNAUTHENTICATED" if actor.revoked else "PERMISSION_DENIED")
        return
    customer = _resolve(world, actor, send)
    if customer is None:
        probe.expect_error(actor, request, outcome, "NOT_FOUND", "CUSTOMER_NOT_FOUND")
        nobody = ipb.RecordEventRequest(event=_input(world, send, UNKNOWN_REFS[send.ref_kind]))
        other = probe.call(actor, "ingest", "RecordEvent", nobody)
        probe.expect(normalised_error(outcome, reference(world, send)) == normalised_error(other, UNKNOWN_REFS[send.ref_kind]),
                     actor, request, outcome, f"refusal differs from that for a customer nobody has: {other.describe()}")
        return
    want = _stored(world, actor, send, customer, set())
    probe.expect(outcome.ok and outcome.response.status == want, actor, request, outcome,
                 f"recording for a customer in the caller's slice: expected status {want}")
    if want == ACCEPTED:
        _record(world, actor, send, customer)


def check_quarantine(probe: Probe, actor: Actor, other_tenant_entries: list[str], sent: frozenset[str]) -> list[str]:
    """List (own tenant's entries only) and replay everything pending: nothing a writer could not
    reach may resolve; another tenant's entry ids are unknown ids. Returns the listed entry ids."""
    world = probe.world
    request = ipb.ListQuarantinedEventsRequest(page_size=1000, include_replayed=True)
    outcome = probe.call(actor, "ingest", "ListQuarantinedEvents", request, echo=sent)
    if actor.revoked or actor.kind != "admin":
        probe.expect_error(actor, request, outcome, "UNAUTHENTICATED" if actor.revoked else "PERMISSION_DENIED")
        return []
    t = world.tenant_of(actor)
    entries = list(outcome.response.quarantined_events)
    probe.expect(all(e.machine_key_id in t.key_ids for e in entries), actor, request, outcome,
                 "a quarantine entry of another tenant's key is listed")
    replay = ipb.ReplayQuarantinedEventsRequest(ids=[*other_tenant_entries[:3], "qev_00000000deadbeef"])
    result = probe.call(actor, "ingest", "ReplayQuarantinedEvents", replay)
    probe.expect(result.ok and result.response.replayed_count == 0, actor, replay, result,
                 "replaying another tenant's quarantine entries moved something")
    normal = {normalised_error_of(r) for r in result.response.results} if result.ok else set()
    probe.expect(len(normal) <= 1 and all(r.status == REJECTED for r in result.response.results), actor, replay,
                 result, "another tenant's entry is told apart from an unknown entry")
    everything = ipb.ReplayQuarantinedEventsRequest()
    result = probe.call(actor, "ingest", "ReplayQuarantinedEvents", everything, echo=sent)
    probe.expect(result.ok and result.response.replayed_count == 0, actor, everything, result,
                 "a replay moved an event whose customer its key could never reach onto the stream")
    return [e.id for e in entries]


def normalised_error_of(result: ipb.EventResult) -> tuple:
    return (result.status, result.reason, _strip(result.message))


def _strip(message: str) -> str:
    return re.sub(r"qev_\w+", "<id>", re.sub(r"\[\d+\]", "[i]", message))
