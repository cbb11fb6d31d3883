"""Caches and isolation.

No service caches an answer: every request scopes itself afresh and re-runs its query. The
memoised things (KNOWN below) are plugins, zone names, the host's engine and pool, a statement
shape and the gateway's route metadata, none of which holds tenant data; the partner tree per
database and tenant, valid for one partners_version; and two ingest caches keyed by tenant that only
speed up its own checks (customer references, the dedupe filter), each with tests that a hit never
crosses tenants or a caller's reach. The inventory test below pins that: a new cache
fails it until it is listed here together with a test that its key holds tenant and effective
scope. Independently of any cache, the same request asked back to back by principals of different
scopes (and tenants) must get each its own answer, warm or cold.
"""
from __future__ import annotations

import pathlib
import re

from partneros.metrics.v1 import metrics_pb2 as mpb

from libs.auth.scope import EffectiveScope
from tests.isolation.check_dashboards import RenderAsk, check_render
from tests.isolation.check_metrics import EventsAsk, MetricAsk, check_query_events, check_query_metric
from tests.isolation.oracle import LevelTarget, Scope, expected_scope

ROOT = pathlib.Path(__file__).resolve().parents[2]
_CACHING = re.compile(r"(functools\.cache|lru_cache|@cache\b|cached_property|cachetools|TTLCache|^\s*_?\w*cache\w*\s*[:=])",
                      re.IGNORECASE | re.MULTILINE)
# file -> what its memoisation holds; none of it is tenant data.
KNOWN = {
    "libs/plugins.py": "the installed plugins, by entry-point group",
    "libs/timezones.py": "the IANA time zone names",
    "libs/host/context.py": "the host's SQL engine and ClickHouse pool",
    "libs/identity/reads.py": "each tenant's partner tree (ids and parents, no answer), keyed by engine and tenant "
                              "and valid for one partners_version, which triggers bump on every write to "
                              "partners; the scope is still computed per request from it "
                              "(tests/directory/test_tree_cache.py)",
    "services/ingest/resolve.py": "the shape of the customer look-up statement (tenant and values are bound "
                                  "parameters at each execution), and resolved customer references keyed by "
                                  "tenant and valid for one customers_version; the caller's reach is applied "
                                  "after every lookup (tests/ingest/test_cache_isolation.py)",
    "services/ingest/seen.py": "the dedupe filter: 'may be stored' bits per (tenant, event id), never an answer "
                               "by itself (tests/ingest/test_cache_isolation.py, test_seen_filter.py)",
    "services/gateway/comments.py": "the proto comments of the descriptor set (for the OpenAPI document)",
    "services/gateway/routes.py": "per-route message classes and query parameter names",
}


def test_no_service_caches_an_answer() -> None:
    found = {}
    for path in [*ROOT.glob("libs/**/*.py"), *ROOT.glob("services/**/*.py")]:
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("libs/gen/") or "/node_modules/" in rel:
            continue
        hits = _CACHING.findall(path.read_text(encoding="utf-8"))
        if hits:
            found[rel] = hits
    unknown = sorted(set(found) - set(KNOWN))
    assert unknown == [], (
        f"new caching in {unknown}: a cache must be keyed by tenant and effective scope; list it in KNOWN with a "
        f"test here that a hit never crosses principals")


def test_the_scope_cache_key_tells_every_slice_apart(world) -> None:  # noqa: ANN001
    """EffectiveScope.cache_key, the key any future cache must use, differs whenever the rows differ."""
    seen: dict[tuple, tuple] = {}
    for t in world.tenants.values():
        for actor in t.actors.values():
            if actor.kind == "key":
                continue
            for kind, level_id in [("none", ""), *(("partner", p) for p in t.parents),
                                   *(("customer", c.id) for c in t.customers.values())]:
                s = expected_scope(world, actor, kind, level_id)
                if not isinstance(s, Scope):
                    continue
                rows = (s.tenant_id, s.partners, s.customer)
                key = EffectiveScope(s.tenant_id, s.partners, s.customer, s.level_kind, s.level_id).cache_key()
                assert seen.setdefault(key, rows) == rows, f"one cache key for two slices: {rows} / {seen[key]}"
    assert len(seen) > 20


def test_the_same_request_by_different_principals_gets_each_its_own_answer(world, probes) -> None:  # noqa: ANN001
    """Cold then warm, interleaved across scopes and tenants: a cache hit must never cross principals."""
    names = ["t1:admin", "t1:user.r1", "t2:user.r1", "t1:mgr.r1+d2", "t2:admin", "t1:user.s1", "t2:mgr.s3"]
    for _ in range(2):
        for probe in probes:
            for name in names:
                actor = world.actor(name)
                check_query_events(probe, actor, EventsAsk(LevelTarget("none"), page_size=1000))
                check_query_metric(probe, actor, MetricAsk("revenue", LevelTarget("none"), window="range"))
                check_render(probe, actor, RenderAsk((actor.tenant, "overview"), LevelTarget("all")))
    # The very same bytes (no tenant-specific id in them) from both tenants' partner users.
    request = mpb.QueryEventsRequest(page_size=5)
    answers = {name: probes[0].call(world.actor(name), "metrics", "QueryEvents", request).response
               for name in ("t1:user.r1", "t2:user.r1")}
    first, second = (tuple((e.event_id, e.customer_id) for e in a.events) for a in answers.values())
    assert first != second and not {c for _, c in first} & {c for _, c in second}
