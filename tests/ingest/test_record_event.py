"""RecordEvent: people record one event in-app for a customer in their slice; source "app"."""
from __future__ import annotations

import datetime as dt

import grpc
from partneros.ingest.v1 import ingest_pb2 as pb

from tests.conftest import bearer
from tests.factories import machine_key, operator, partner_user
from tests.ingest.helpers import UTC, event, fails, stored, stub


def _record(channel, token: str, ev: pb.EventInput) -> pb.EventResult:  # noqa: ANN001
    return stub(channel).RecordEvent(pb.RecordEventRequest(event=ev), metadata=bearer(token))


def _refused(channel, token: str, ev: pb.EventInput):  # noqa: ANN001, ANN202
    return fails(stub(channel).RecordEvent, pb.RecordEventRequest(event=ev), metadata=bearer(token))


def test_admin_records_an_event_marked_app_and_by_whom(host, channel, world) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from libs.identity import models as m

    result = _record(channel, world.admin_token, event(event_id="app-1", name="call_logged",
                                                       external_id="ext-res_a2", properties={"minutes": 15}))
    assert (result.status, result.event_id) == (pb.EVENT_STATUS_ACCEPTED, "app-1")
    row = stored(host, world.tenant_id)[0]
    with Session(host.context.engine) as s:
        admin_id = s.scalar(select(m.Operator.id).where(m.Operator.tenant_id == world.tenant_id))
    assert (row["source"], row["actor_id"], row["partner_id"]) == ("app", admin_id, world.partners["res_a2"])
    assert row["properties"] == '{"minutes":15}'


def test_partner_user_records_within_their_subtree_only(host, channel, world) -> None:
    _, token = partner_user(host.context.engine, world.tenant_id, world.partners["res_a1"])
    assert _record(channel, token, event(external_id="ext-sub_a1y")).status == pb.EVENT_STATUS_ACCEPTED
    assert _record(channel, token, event(external_id="ext-res_a1")).status == pb.EVENT_STATUS_ACCEPTED
    for kind, value in (("customer_id", world.customers["res_a2"]), ("external_id", "ext-dist_a"),
                        ("email", f"dist_b@{world.tenant_id}.example.com")):
        foreign = _refused(channel, token, event(**{kind: value}))
        nobody = _refused(channel, token, event(**{kind: {"customer_id": "cus_0", "external_id": "x",
                                                          "email": "x@y.z"}[kind]}))
        assert foreign[:2] == (grpc.StatusCode.NOT_FOUND, "CUSTOMER_NOT_FOUND")
        assert foreign == nobody  # code, reason, metadata and message: indistinguishable
        assert value not in foreign[3]
    assert len(stored(host, world.tenant_id)) == 2


def test_managing_operator_records_for_assigned_partners_only(host, channel, world) -> None:
    _, token = operator(host.context.engine, world.tenant_id, role="manager", assigned=(world.partners["res_a1"],))
    assert _record(channel, token, event(external_id="ext-sub_a1x")).status == pb.EVENT_STATUS_ACCEPTED
    assert _refused(channel, token, event(external_id="ext-dist_b"))[:2] == (grpc.StatusCode.NOT_FOUND,
                                                                             "CUSTOMER_NOT_FOUND")


def test_machine_keys_cannot_record_in_app(host, channel, world) -> None:
    _, key = machine_key(host.context.engine, world.tenant_id)
    assert _refused(channel, key, event(external_id="ext-dist_a"))[0] is grpc.StatusCode.PERMISSION_DENIED


def test_invalid_event_is_invalid_argument_naming_the_field(host, channel, world) -> None:
    admin = world.admin_token
    future = dt.datetime.now(UTC) + dt.timedelta(hours=2)
    cases = [
        (event(name="", external_id="ext-dist_a"), "NAME_MISSING", "event.name"),
        (event(), "CUSTOMER_REF_MISSING", "event.customer"),
        (event(external_id="ext-dist_a", at=future), "TIMESTAMP_IN_FUTURE", "event.timestamp"),
        (event(external_id="ext-dist_a", properties={"a": {"b": float("nan")}}), "INVALID_PROPERTIES",
         "event.properties.a.b"),
    ]
    for ev, reason, field in cases:
        code, got_reason, metadata, message = _refused(channel, admin, ev)
        assert (code, got_reason, metadata.get("field")) == (grpc.StatusCode.INVALID_ARGUMENT, reason, field)
        assert message.startswith(field)
    empty = fails(stub(channel).RecordEvent, pb.RecordEventRequest(), metadata=bearer(admin))
    assert empty[:3] == (grpc.StatusCode.INVALID_ARGUMENT, "NAME_MISSING", {"field": "event.name"})


def test_recording_the_same_event_id_twice_counts_once(host, channel, world) -> None:
    ev = event(event_id="click-1", external_id="ext-dist_a")
    assert _record(channel, world.admin_token, ev).status == pb.EVENT_STATUS_ACCEPTED
    again = _record(channel, world.admin_token, ev)
    assert (again.status, again.reason) == (pb.EVENT_STATUS_DUPLICATE, "ALREADY_STORED")
    assert len(stored(host, world.tenant_id)) == 1
