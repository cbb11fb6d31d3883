"""Demo events for `partneros up --demo`: about six months of a believable program.

Runs after the directory demo and reads its customers (`state["customers"]`). Creates its own
machine key through DirectoryService.CreateMachineKey, then sends the events through
IngestEvents in batches of 1000, naming customers by external id, email or id alike.

The events (deterministic: a seeded generator, ids derived from the customer and a counter,
so seeding twice stores nothing twice; times run up to the start of the current hour):
- `signup`      {plan: {tier}, country, seats, channel}
- `activation`  {plan: {tier}, country, seats, days_to_activate}
- `usage`       {feature, duration_s, seats, plan: {tier}, country}          (most events)
- `purchase`    {amount, currency, seats, plan: {tier}, country, kind: new|renewal|upgrade}
- `support_ticket` {priority, plan: {tier}}
plus three events for a customer nobody has (left in the quarantine) and a few in-app
`call_logged` events recorded by the admin (source "app").
"""
from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Iterator
from typing import Any

from google.protobuf import struct_pb2, timestamp_pb2
from partneros.directory.v1 import directory_pb2, directory_pb2_grpc
from partneros.ingest.v1 import ingest_pb2 as pb
from partneros.ingest.v1 import ingest_pb2_grpc

__all__ = ["seed", "demo_events", "DAYS", "SEED"]

log = logging.getLogger(__name__)

DAYS = 182
SEED = 20_261_204
BATCH = 1000
_TIERS = (("free", 0.0, 0.45), ("pro", 29.0, 0.4), ("enterprise", 79.0, 0.15))  # name, price per seat, share
_COUNTRIES = ("DE", "DE", "DE", "AT", "CH", "NL", "FR", "PL")
_FEATURES = ("dashboard", "reports", "export", "api", "automation", "billing", "integrations")
_CHANNELS = ("partner_referral", "partner_resale", "marketplace")


def _tier(rnd: random.Random) -> tuple[str, float]:
    x, acc = rnd.random(), 0.0
    for name, price, share in _TIERS:
        acc += share
        if x < acc:
            return name, price
    return _TIERS[-1][0], _TIERS[-1][1]


def demo_events(customers: list[dict[str, Any]], *, end: dt.datetime, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """The demo events for `customers`, up to `end` (exclusive), over the DAYS before it."""
    rnd = random.Random(seed)
    start = end - dt.timedelta(days=DAYS)
    for ci, c in enumerate(customers):
        counter = 0

        def ev(name: str, when: dt.datetime, props: dict[str, Any]) -> dict[str, Any] | None:
            nonlocal counter
            counter += 1
            if when >= end:
                return None
            return {"event_id": f"demo-{ci:03d}-{counter:05d}", "name": name, "customer": c, "at": when,
                    "properties": props}

        tier, price = _tier(rnd)
        country = rnd.choice(_COUNTRIES)
        seats = rnd.choice((1, 2, 3, 5, 8, 12, 20, 35)) if tier != "free" else rnd.randint(1, 3)
        intensity = rnd.uniform(3.0, 15.0)  # usage events per active working day
        # sign-ups all through the half year, most of them early (so most customers have a history)
        signup = start + dt.timedelta(days=DAYS * 0.92 * rnd.random() ** 1.5, hours=rnd.uniform(7, 18))
        plan = {"tier": tier}
        out = [ev("signup", signup, {"plan": plan, "country": country, "seats": seats,
                                     "channel": rnd.choice(_CHANNELS)})]
        if rnd.random() < 0.9:
            delay = rnd.uniform(0.1, 10)
            activated = signup + dt.timedelta(days=delay)
            out.append(ev("activation", activated, {"plan": plan, "country": country, "seats": seats,
                                                    "days_to_activate": round(delay, 1)}))
            day = activated.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
            renewal, kind = activated, "new"
            while day < end:
                weekday = day.weekday() < 5
                for _ in range(int(rnd.expovariate(1 / (intensity if weekday else intensity * 0.15)))):
                    when = day + dt.timedelta(hours=rnd.uniform(7, 19) if weekday else rnd.uniform(9, 16))
                    out.append(ev("usage", when, {"feature": rnd.choice(_FEATURES), "seats": seats, "plan": plan,
                                                  "duration_s": int(rnd.lognormvariate(5, 1)), "country": country}))
                if price and day >= renewal:
                    out.append(ev("purchase", day + dt.timedelta(hours=rnd.uniform(8, 12)), {
                        "amount": round(seats * price, 2), "currency": "EUR", "seats": seats, "plan": plan,
                        "country": country, "kind": kind}))
                    renewal, kind = day + dt.timedelta(days=30), "renewal"
                    if rnd.random() < 0.12:  # some customers grow
                        seats += rnd.choice((1, 2, 5))
                        kind = "upgrade"
                if rnd.random() < 0.004 * intensity:
                    out.append(ev("support_ticket", day + dt.timedelta(hours=rnd.uniform(8, 17)), {
                        "priority": rnd.choice(("low", "normal", "normal", "high")), "plan": plan}))
                day += dt.timedelta(days=1)
        yield from (e for e in out if e is not None)


def _message(e: dict[str, Any], ref_kind: str) -> pb.EventInput:
    c = e["customer"]
    ref = {"external_id": c.get("external_id"), "email": c.get("email"), "customer_id": c.get("id")}
    kind = ref_kind if ref.get(ref_kind) else "customer_id"
    props = struct_pb2.Struct()
    props.update(e["properties"])
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(e["at"])
    return pb.EventInput(event_id=e["event_id"], name=e["name"], customer=pb.CustomerRef(**{kind: ref[kind]}),
                         timestamp=stamp, properties=props)


def seed(channel, metadata, state: dict[str, Any]) -> None:  # noqa: ANN001
    """Create the loader key and send the demo events; write what happened into `state["ingest"]`."""
    customers = state.get("customers") or []
    if not customers:
        log.warning("no demo customers in state: no demo events")
        return
    created = directory_pb2_grpc.DirectoryServiceStub(channel).CreateMachineKey(
        directory_pb2.CreateMachineKeyRequest(machine_key=directory_pb2.MachineKey(
            display_name="Demo event loader", scopes=["events:write"])), metadata=metadata)
    key_md = (("authorization", f"Bearer {created.secret}"),)
    stub = ingest_pb2_grpc.IngestServiceStub(channel)
    # Up to the start of this hour (kept in state, so a second run sends the very same events).
    end = state.setdefault("demo_end", dt.datetime.now(dt.timezone.utc).replace(minute=0, second=0, microsecond=0))
    rnd = random.Random(SEED + 1)
    kinds = ("external_id",) * 7 + ("email",) * 2 + ("customer_id",)
    messages = [_message(e, rnd.choice(kinds)) for e in demo_events(customers, end=end)]
    stray = {"id": "", "external_id": "CRM-UNKNOWN-1", "email": "", "partner_id": ""}
    for i in range(3):  # a system sending for a customer the directory does not know (yet)
        messages.append(_message({"event_id": f"demo-stray-{i}", "name": "usage", "customer": stray,
                                  "at": end - dt.timedelta(hours=3 + i), "properties": {"feature": "api"}},
                                 "external_id"))
    totals = {"accepted": 0, "duplicate": 0, "quarantined": 0, "rejected": 0}
    for start in range(0, len(messages), BATCH):
        r = stub.IngestEvents(pb.IngestEventsRequest(events=messages[start:start + BATCH]), metadata=key_md)
        totals["accepted"] += r.accepted_count
        totals["duplicate"] += r.duplicate_count
        totals["quarantined"] += r.quarantined_count
        totals["rejected"] += r.rejected_count
    for i, c in enumerate(customers[:5]):  # a few events recorded in-app by the admin (source "app")
        event = pb.EventInput(event_id=f"demo-call-{i}", name="call_logged",
                              customer=pb.CustomerRef(customer_id=c["id"]))
        event.timestamp.FromDatetime(end - dt.timedelta(days=i + 1, hours=2))
        event.properties.update({"minutes": 15 + 5 * i, "topic": "quarterly review"})
        stub.RecordEvent(pb.RecordEventRequest(event=event), metadata=metadata)
    state["ingest"] = {"machine_key_id": created.machine_key.id, "events": len(messages), **totals,
                       "event_names": ["signup", "activation", "usage", "purchase", "support_ticket", "call_logged"]}
    log.info("demo events: %s", totals)
