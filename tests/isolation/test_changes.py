"""Changes to who sees what apply on the very next request, on every entry point: unassigning a
partner from a manager, moving a partner under another parent, moving a partner user, revoking a
machine key or a personal token. Each change goes through the directory API; the oracle's record
of the world is updated the same way, and every read after it is checked against the new slice.

This module builds its own world (module scope), since it changes it.
"""
from __future__ import annotations

import dataclasses

from google.protobuf import field_mask_pb2
from partneros.directory.v1 import directory_pb2 as pb

from tests.isolation.check_dashboards import RenderAsk, check_render
from tests.isolation.check_ingest import Send, check_ingest
from tests.isolation.check_metrics import EventsAsk, MetricAsk, check_query_events, check_query_metric
from tests.isolation.check_reads import check_customer_reads, check_partner_reads
from tests.isolation.oracle import LevelTarget
from tests.isolation.probe import Probe
from tests.isolation.world import Actor, World


def _admin(probe: Probe, tenant: str, method: str, request) -> object:  # noqa: ANN001
    world = probe.world
    outcome = probe.transport.call("directory", method, request, world.tenants[tenant].actors["admin"].token)
    assert outcome.ok, outcome.describe()
    return outcome.response


def _reads(probe: Probe, actor: Actor, tenant: str, partner: str) -> None:
    """Everything a reader does, at no level, all partners and one partner, checked against the oracle."""
    for level in (LevelTarget("none"), LevelTarget("all"), LevelTarget("partner", (tenant, partner)),
                  LevelTarget("customer", (tenant, f"{partner}-a"))):
        check_query_metric(probe, actor, MetricAsk("revenue", level, window="range", grain="month"))
        check_query_events(probe, actor, EventsAsk(level))
        check_render(probe, actor, RenderAsk((tenant, "overview"), level))
    check_partner_reads(probe, actor, (tenant, partner), None)
    check_customer_reads(probe, actor, (tenant, f"{partner}-b"), None, "")


def _update(world: World, actor: Actor, **changes: object) -> Actor:
    changed = dataclasses.replace(actor, **changes)
    world.tenant_of(actor).actors[actor.name.split(":", 1)[1]] = changed
    return changed


def test_unassigning_a_partner_from_a_manager_applies_at_once(world, probes) -> None:  # noqa: ANN001
    probe = probes[0]
    manager = world.actor("t1:mgr.r1+d2")
    t = world.tenants["t1"]
    _reads(probe, manager, "t1", "r3")  # r3 is under d2: visible
    request = pb.UpdateOperatorRequest(operator=pb.Operator(id=manager.id, assigned_partner_ids=[t.partners["r1"]]),
                                       update_mask=field_mask_pb2.FieldMask(paths=["assigned_partner_ids"]))
    _admin(probe, "t1", "UpdateOperator", request)
    manager = _update(world, manager, assigned=(t.partners["r1"],))
    for p in probes:  # now d2's subtree is gone: refusals there, and "all my partners" shrinks
        _reads(p, manager, "t1", "r3")
        _reads(p, manager, "t1", "s1")


def test_moving_a_partner_applies_at_once(world, probes) -> None:  # noqa: ANN001
    t = world.tenants["t2"]
    readers = [world.actor(n) for n in ("t2:user.r1", "t2:user.r3", "t2:user.d1")]
    for reader in readers:
        _reads(probes[0], reader, "t2", "s1")
    key = world.actor("t2:key.r1")
    check_ingest(probes[0], key, (Send(("t2", "s1-a"), "email", 90, 5),))  # reachable before the move
    _admin(probes[0], "t2", "UpdatePartner", pb.UpdatePartnerRequest(
        partner=pb.Partner(id=t.partners["s1"], parent_id=t.partners["r3"]),
        update_mask=field_mask_pb2.FieldMask(paths=["parent_id"])))
    t.parents[t.partners["s1"]] = t.partners["r3"]
    for p in probes:  # s1 (and its history) left r1's and d1's slices and joined r3's
        for reader in readers:
            _reads(p, reader, "t2", "s1")
        check_ingest(p, key, (Send(("t2", "s1-a"), "email", 91, 6), Send(("t2", "s2-a"), "external_id", 92, 7)))


def test_moving_a_partner_user_applies_at_once(world, probes) -> None:  # noqa: ANN001
    t = world.tenants["t1"]
    user = world.actor("t1:user.s1")
    _admin(probes[0], "t1", "UpdatePartnerUser", pb.UpdatePartnerUserRequest(
        partner_user=pb.PartnerUser(id=user.id, partner_id=t.partners["d3"]),
        update_mask=field_mask_pb2.FieldMask(paths=["partner_id"])))
    user = _update(world, user, partner_id=t.partners["d3"])
    t.partner_users[user.id] = t.partners["d3"]
    for p in probes:
        _reads(p, user, "t1", "s1")
        _reads(p, user, "t1", "d3")


def test_revoking_a_key_or_a_token_applies_at_once(world, probes) -> None:  # noqa: ANN001
    t = world.tenants["t1"]
    key = world.actor("t1:key.all")
    for p in probes:
        check_ingest(p, key, (Send(("t1", "d2-a"), "customer_id", 93, 8),))
    _admin(probes[0], "t1", "RevokeMachineKey", pb.RevokeMachineKeyRequest(machine_key_id=key.id))
    key = _update(world, key, revoked=True)
    for p in probes:  # the very next call: nobody, and nothing stored
        check_ingest(p, key, (Send(("t1", "d2-a"), "customer_id", 94, 9),))
    user = world.actor("t1:user.r3")
    tokens = _admin(probes[0], "t1", "ListPersonalTokens", pb.ListPersonalTokensRequest(subject_id=user.id))
    _reads(probes[0], user, "t1", "r3")
    for token in tokens.personal_tokens:
        _admin(probes[0], "t1", "RevokePersonalToken", pb.RevokePersonalTokenRequest(personal_token_id=token.id))
    user = _update(world, user, revoked=True)
    for p in probes:
        check_query_metric(p, user, MetricAsk("revenue", LevelTarget("none")))
        check_query_events(p, user, EventsAsk(LevelTarget("none")))
        check_render(p, user, RenderAsk(("t1", "overview"), LevelTarget("none")))
        check_customer_reads(p, user, ("t1", "r3-a"), None, "")


def test_moving_a_customer_leaves_its_history_where_it_happened(world, probes) -> None:  # noqa: ANN001
    """A customer moved from s4 (South) to s1 (North): its past events stay in South's slice, its
    new events land in North's; neither side sees the other's part, from the next request on."""
    t = world.tenants["t1"]
    moved = t.customers["s4-b"]
    _admin(probes[0], "t1", "UpdateCustomer", pb.UpdateCustomerRequest(
        customer=pb.Customer(id=moved.id, partner_id=t.partners["s1"]),
        update_mask=field_mask_pb2.FieldMask(paths=["partner_id"])))
    t.customers["s4-b"] = dataclasses.replace(moved, partner_id=t.partners["s1"])
    check_ingest(probes[0], world.actor("t1:key.all"), (Send(("t1", "s4-b"), "email", 96, 600),))
    check_ingest(probes[0], world.actor("t1:key.s4"), (Send(("t1", "s4-b"), "external_id", 97, 601),))  # out of reach
    check_ingest(probes[0], world.actor("t1:key.r1"), (Send(("t1", "s4-b"), "customer_id", 98, 602),))  # in reach
    for p in probes:
        for reader in ("t1:user.r1", "t1:user.r3", "t1:mgr.s3"):
            actor = world.actor(reader)
            for level in (LevelTarget("none"), LevelTarget("customer", ("t1", "s4-b"))):
                check_query_metric(p, actor, MetricAsk("count_all", level, window="range"))
                check_query_events(p, actor, EventsAsk(level))
            check_customer_reads(p, actor, ("t1", "s4-b"), None, "s4-b")
