"""The forced slice, three ways in (absent, forced, overridden by the caller): a partner user always
gets exactly their own slice, or a narrower one inside it, never more; managers get their partners
or a refusal. Checked for QueryMetric, QueryEvents and RenderDashboard on every entry point."""
from __future__ import annotations

import pytest

from tests.isolation.check_dashboards import RenderAsk, check_render
from tests.isolation.check_metrics import EventsAsk, MetricAsk, check_query_events, check_query_metric
from tests.isolation.oracle import LevelTarget, Scope, expected_scope, resolve_target
from tests.isolation.world import USERS

# way in -> the level asked, relative to the user's partner (d1/r1/s1/d3/r3)
_SIBLING = {"d1": "d2", "r1": "r2", "s1": "s2", "d3": "d1", "r3": "r1"}
_PARENT = {"d1": "d2", "r1": "d1", "s1": "r1", "d3": "d2", "r3": "d2"}
WAYS = {
    "no level": lambda p, t: LevelTarget("none"),
    "all partners": lambda p, t: LevelTarget("all"),
    "own level": lambda p, t: LevelTarget("partner", (t, p)),
    "sibling partner": lambda p, t: LevelTarget("partner", (t, _SIBLING[p])),
    "parent partner": lambda p, t: LevelTarget("partner", (t, _PARENT[p])),
    "same-name partner of the other tenant": lambda p, t: LevelTarget("partner", ("t2" if t == "t1" else "t1", p)),
    "customer of a sibling": lambda p, t: LevelTarget("customer", (t, f"{_SIBLING[p]}-a")),
    "same-name customer of the other tenant": lambda p, t: LevelTarget("customer", ("t2" if t == "t1" else "t1", f"{p}-a")),
    "unknown partner": lambda p, t: LevelTarget("partner", None),
}


@pytest.mark.parametrize("way", list(WAYS))
@pytest.mark.parametrize("user", USERS)
def test_partner_user_gets_exactly_their_slice(world, probes, user: str, way: str) -> None:  # noqa: ANN001
    for tenant in ("t1", "t2"):
        actor = world.actor(f"{tenant}:user.{user}")
        level = WAYS[way](user, tenant)
        scope = expected_scope(world, actor, level.kind, resolve_target(world, level))
        own = world.tenants[tenant].partners[user]
        assert isinstance(scope, Scope) and (scope.level_kind, scope.level_id) == (2, own)  # the oracle agrees: forced
        grpc = probes[0]
        check_query_metric(grpc, actor, MetricAsk("revenue", level, window="last-quarter", grain="month", compare=True))
        check_query_metric(grpc, actor, MetricAsk("customers", level, window="range"))
        check_query_events(grpc, actor, EventsAsk(level, page_size=40))
        check_render(grpc, actor, RenderAsk((tenant, "overview"), level))
        for http in probes[1:] if tenant == "t1" else ():  # the same three ways in over HTTP
            check_query_metric(http, actor, MetricAsk("revenue", level, window="last-quarter", grain="month"))
            check_query_events(http, actor, EventsAsk(level, page_size=1000))
            check_render(http, actor, RenderAsk((tenant, "overview"), level))


def test_a_narrower_level_inside_the_slice_is_honoured(world, probes) -> None:  # noqa: ANN001
    actor = world.actor("t1:user.r1")
    for level in (LevelTarget("partner", ("t1", "s1")), LevelTarget("customer", ("t1", "s2-b"))):
        scope = expected_scope(world, actor, level.kind, resolve_target(world, level))
        assert scope.level_id == resolve_target(world, level)
        for probe in probes:
            check_query_metric(probe, actor, MetricAsk("count_all", level, window="range", grain="week"))
            check_query_events(probe, actor, EventsAsk(level))
            check_render(probe, actor, RenderAsk(("t1", "overview"), level))


@pytest.mark.parametrize("manager", ["mgr.r1+d2", "mgr.s3", "mgr.none"])
def test_managers_get_their_partners_or_a_refusal(world, probes, manager: str) -> None:  # noqa: ANN001
    actor = world.actor(f"t1:{manager}")
    levels = [LevelTarget("none"), LevelTarget("all"), LevelTarget("partner", ("t1", "r1")),
              LevelTarget("partner", ("t1", "r2")), LevelTarget("partner", ("t1", "s4")),
              LevelTarget("partner", ("t2", "r1")), LevelTarget("partner", None),
              LevelTarget("customer", ("t1", "s3-a")), LevelTarget("customer", ("t1", "d1-a"))]
    for level in levels:
        for probe in probes:
            check_query_metric(probe, actor, MetricAsk("revenue", level, window="range", breakdown=True, limit=2))
            check_query_events(probe, actor, EventsAsk(level))
            check_render(probe, actor, RenderAsk(("t1", "overview"), level))
