"""Principals of every scope and both tenants asking at the same time, over gRPC and HTTP: each
answer is its caller's own. Catches credentials or scopes mixed up by shared state under load (the
gateway's upstream calls, the renderer's shared pool, anything request-scoped kept globally)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.isolation.check_dashboards import RenderAsk, check_render
from tests.isolation.check_metrics import EventsAsk, MetricAsk, check_query_events, check_query_metric
from tests.isolation.oracle import LevelTarget

READERS = ["t1:admin", "t2:admin", "t1:user.r1", "t2:user.r1", "t1:user.s1", "t2:user.d3", "t1:mgr.r1+d2",
           "t2:mgr.s3", "t1:mgr.none", "t2:user.r3"]
ROUNDS = 2


def test_simultaneous_callers_each_get_their_own_slice(world, probes) -> None:  # noqa: ANN001
    def one(job: tuple[int, str]) -> None:
        index, name = job
        actor = world.actor(name)
        probe = probes[index % len(probes)]
        level = LevelTarget("none") if index % 2 else LevelTarget("all")
        check_render(probe, actor, RenderAsk((actor.tenant, "overview"), level))
        check_query_metric(probe, actor, MetricAsk("customers", level, window="range", grain="week"))
        check_query_events(probe, actor, EventsAsk(level, page_size=50, max_pages=3))

    jobs = [(i, name) for i in range(ROUNDS) for name in READERS]
    with ThreadPoolExecutor(max_workers=len(READERS)) as pool:
        for future in [pool.submit(one, job) for job in jobs]:
            future.result()  # re-raises the first leak with its principal and request
