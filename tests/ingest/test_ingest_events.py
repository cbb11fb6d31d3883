"""IngestEvents: customer references, per-event verdicts, timestamps, payloads, who may call."""
from __future__ import annotations

import datetime as dt
import json
import time

import grpc
from partneros.ingest.v1 import ingest_pb2 as pb

from tests.conftest import bearer
from tests.factories import machine_key, operator, partner_user
from tests.ingest.helpers import UTC, call, event, fails, stored, stub

ACCEPTED, REJECTED = pb.EVENT_STATUS_ACCEPTED, pb.EVENT_STATUS_REJECTED


def test_customer_resolves_by_internal_id_external_id_and_email(host, channel, world, key) -> None:
    t, c = world.tenant_id, world.customers
    response = call(channel, key, [
        event(event_id="by-id", customer_id=c["dist_a"]),
        event(event_id="by-ext", external_id="ext-res_a1"),
        event(event_id="by-email", email=f"  SUB_A1X@{t.upper()}.Example.COM \t"),
    ])
    assert [r.status for r in response.results] == [ACCEPTED] * 3
    assert response.accepted_count == 3
    rows = {r["event_id"]: r for r in stored(host, t)}
    assert rows["by-id"]["customer_id"] == c["dist_a"]
    assert rows["by-ext"]["customer_id"] == c["res_a1"]
    assert rows["by-email"]["customer_id"] == c["sub_a1x"]
    # The customer's partner is stored on the event; the source marks the machine rail.
    assert rows["by-email"]["partner_id"] == world.partners["sub_a1x"]
    assert {r["source"] for r in rows.values()} == {"api"}


def test_event_ids_and_results_follow_request_order(channel, world, key) -> None:
    events = [event(event_id=f"o-{i}", external_id="ext-dist_b") for i in range(5)]
    response = call(channel, key, events)
    assert [(r.index, r.event_id) for r in response.results] == [(i, f"o-{i}") for i in range(5)]


def test_properties_take_any_json_object(host, channel, world, key) -> None:
    payload = {
        "plan": {"tier": "pro", "limits": {"seats": 25, "storage_gb": 1.5}},
        "amount": 129.99, "count": 3, "negative": -7, "big": 12345678901234, "tiny": 2.5e-12,
        "tags": ["a", "b", {"nested": [1, None, True]}], "empty": {}, "none": [],
        "flag": False, "missing": None,
        "text": 'quotes " and \\ backslash, tab\t, newline\n, unicode: München ✓ 😀',
    }
    response = call(channel, key, [event(event_id="payload", external_id="ext-dist_a", properties=payload)])
    assert response.accepted_count == 1
    row = next(r for r in stored(host, world.tenant_id) if r["event_id"] == "payload")
    assert json.loads(row["properties"]) == payload
    # Integral numbers stay integers in the stored JSON (a Struct carries them as doubles).
    assert '"count":3' in row["properties"] and '"seats":25' in row["properties"]


def test_event_without_properties_stores_an_empty_object(host, channel, world, key) -> None:
    call(channel, key, [event(event_id="bare", external_id="ext-dist_a")])
    row = next(r for r in stored(host, world.tenant_id) if r["event_id"] == "bare")
    assert row["properties"] == "{}"


def test_timestamps_default_to_receive_time_historic_accepted_far_future_rejected(host, channel, world, key) -> None:
    now = dt.datetime.now(UTC)
    before_ms = int(time.time() * 1000)
    response = call(channel, key, [
        event(event_id="default", external_id="ext-dist_a"),
        event(event_id="historic", external_id="ext-dist_a", at=dt.datetime(2003, 2, 1, 12, 30, 15, 250_000, UTC)),
        event(event_id="epoch", external_id="ext-dist_a", at=dt.datetime(1970, 1, 1, tzinfo=UTC)),
        event(event_id="skew", external_id="ext-dist_a", at=now + dt.timedelta(minutes=10)),
        event(event_id="future", external_id="ext-dist_a", at=now + dt.timedelta(minutes=20)),
        event(event_id="prehistoric", external_id="ext-dist_a", at=dt.datetime(1969, 12, 31, tzinfo=UTC)),
    ])
    after_ms = int(time.time() * 1000)
    statuses = {r.event_id: r for r in response.results}
    assert [statuses[e].status for e in ("default", "historic", "epoch", "skew")] == [ACCEPTED] * 4
    assert (statuses["future"].status, statuses["future"].reason) == (REJECTED, "TIMESTAMP_IN_FUTURE")
    assert statuses["future"].message.startswith("events[4].timestamp:")
    assert "15 minutes" in statuses["future"].message
    assert (statuses["prehistoric"].status, statuses["prehistoric"].reason) == (REJECTED, "TIMESTAMP_TOO_OLD")
    rows = {r["event_id"]: r for r in stored(host, world.tenant_id)}
    assert before_ms <= rows["default"]["ts_ms"] <= after_ms
    assert rows["default"]["ts_ms"] == rows["default"]["received_ms"]
    assert rows["historic"]["ts_ms"] == int(dt.datetime(2003, 2, 1, 12, 30, 15, 250_000, UTC).timestamp() * 1000)
    assert rows["epoch"]["ts_ms"] == 0
    assert "future" not in rows and "prehistoric" not in rows


def test_one_bad_event_never_fails_its_batch_and_each_rejection_names_the_field(host, channel, world, key) -> None:
    good = dict(external_id="ext-dist_a")
    events = [
        event(event_id="ok-1", **good),
        event(event_id="no-name", name="", **good),
        event(event_id="long-name", name="n" * 201, **good),
        event(event_id="ctl-name", name="bad\nname", **good),
        event(event_id="no-customer"),
        event(event_id="blank-customer", email="   "),
        event(event_id="long-ref", external_id="x" * 321),
        event(event_id="i" * 201, **good),
        event(event_id="nan", properties={"plan": {"price": float("nan")}}, **good),
        event(event_id="inf", properties={"list": [1, float("inf")]}, **good),
        event(event_id="huge", properties={"blob": "x" * 70_000}, **good),
        event(event_id="ok-2", **good),
    ]
    response = call(channel, key, events)
    got = {i: (r.status, r.reason, r.message) for i, r in enumerate(response.results)}
    expected = {
        1: ("NAME_MISSING", "events[1].name:"),
        2: ("NAME_INVALID", "events[2].name:"),
        3: ("NAME_INVALID", "events[3].name:"),
        4: ("CUSTOMER_REF_MISSING", "events[4].customer:"),
        5: ("CUSTOMER_REF_MISSING", "events[5].customer:"),
        6: ("CUSTOMER_REF_INVALID", "events[6].customer.external_id:"),
        7: ("EVENT_ID_INVALID", "events[7].event_id:"),
        8: ("INVALID_PROPERTIES", "events[8].properties.plan.price:"),
        9: ("INVALID_PROPERTIES", "events[9].properties.list[1]:"),
        10: ("EVENT_TOO_LARGE", "events[10]:"),
    }
    for i, (reason, prefix) in expected.items():
        status, got_reason, message = got[i]
        assert (status, got_reason) == (REJECTED, reason), (i, got[i])
        assert message.startswith(prefix), (i, message)
    assert got[0][0] == got[11][0] == ACCEPTED
    assert (response.accepted_count, response.rejected_count) == (2, 10)
    assert {r["event_id"] for r in stored(host, world.tenant_id)} == {"ok-1", "ok-2"}


def test_only_machine_keys_with_events_write_may_ingest(host, channel, world) -> None:
    engine = host.context.engine
    request = pb.IngestEventsRequest(events=[event(external_id="ext-dist_a")])
    ingest = stub(channel).IngestEvents
    assert fails(ingest, request)[0] is grpc.StatusCode.UNAUTHENTICATED
    assert fails(ingest, request, metadata=bearer("pomk_nope_nope"))[0] is grpc.StatusCode.UNAUTHENTICATED
    _, scopeless = machine_key(engine, world.tenant_id, scopes="")
    _, user = partner_user(engine, world.tenant_id, world.partners["dist_a"])
    _, manager = operator(engine, world.tenant_id, role="manager", assigned=(world.partners["dist_a"],))
    for token in (world.admin_token, scopeless, user, manager):
        code, reason, *_ = fails(ingest, request, metadata=bearer(token))
        assert (code, reason) == (grpc.StatusCode.PERMISSION_DENIED, "PERMISSION_MISSING")


def test_each_event_records_the_key_that_sent_it(host, channel, world) -> None:
    key_id, secret = machine_key(host.context.engine, world.tenant_id)
    call(channel, secret, [event(event_id="who", external_id="ext-dist_b")])
    row = next(r for r in stored(host, world.tenant_id) if r["event_id"] == "who")
    assert row["actor_id"] == key_id


def test_tenants_never_reach_each_others_customers(host, channel, world, key) -> None:
    from tests.factories import World

    other = World.build(host.context.engine, "Other")
    response = call(channel, key, [event(customer_id=other.customers["dist_a"]),
                                   event(email=f"dist_a@{other.tenant_id}.example.com")])
    assert {r.status for r in response.results} == {pb.EVENT_STATUS_QUARANTINED}
    assert stored(host, other.tenant_id) == [] and stored(host, world.tenant_id) == []
