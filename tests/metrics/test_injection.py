"""Hostile text in payload paths, filter values and event names: it never reaches the SQL text,
and it round-trips exactly through binding (the right rows match, nothing else happens)."""
from __future__ import annotations

import datetime as dt

import pytest
from google.protobuf import struct_pb2
from partneros.common.v1 import filter_pb2, window_pb2
from partneros.metrics.v1 import metrics_pb2 as pb

from libs.auth.scope import EffectiveScope
from services.metrics.aggregations import registry
from services.metrics.compiler import CompileContext, build_metric_select, print_select, resolve_metric, validate_metric
from services.metrics.compiler.spec import FilterSpec as F
from services.metrics.compiler.spec import MetricSpec, Op
from services.metrics.compiler.windows import Mode, WindowSpec
from tests import factories
from tests.conftest import bearer
from tests.metrics.conftest import event, insert_events

UTC = dt.timezone.utc
T0 = dt.datetime(2025, 6, 1, 12, tzinfo=UTC)
HOSTILE = [
    "it's", 'say "hi"', "back\\slash", "trailing\\", "\\'", "'; DROP TABLE events; --", "{p0:String}",
    "{tenant:String}", "ünïcødé 🙂 中文", "\u202e right-to-left", "%s %(x)s", "NULL", "1) OR (1=1", "`tick`",
    "x' OR tenant_id != '",
]
VALUE_ONLY = ["tab\there", "new\nline", "nul\x00byte"]  # control characters are fine as values
SCOPE = EffectiveScope("ten_inj", frozenset({"ptn_1"}), None, 2, "ptn_1")


def _sql(name: str, key: str, value: str) -> tuple[str, dict]:
    spec = MetricSpec("sum", (name,), f"{key}.{key}", ((F(f"{key}.{key}", Op.IN, (value, value + "2")),
                                                        F(key, Op.CONTAINS, (value,))),))
    aggs = registry()
    plan = resolve_metric(validate_metric(spec, aggs), scope=SCOPE, aggregations=aggs,
                          window=WindowSpec(mode=Mode.RANGE, start=T0, end=T0 + dt.timedelta(days=1)), grain=0,
                          time_zone="UTC", week_start=1, now=T0)
    ctx = CompileContext(SCOPE)
    return print_select(build_metric_select(plan), ctx), ctx.params


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_leaves_the_sql_text_unchanged(text: str) -> None:
    """The SQL of a hostile definition is the SQL of a harmless one: only parameters differ."""
    hostile_sql, params = _sql("n" + text, "k" + text, "v" + text)
    plain_sql, _ = _sql("n", "k", "v")
    assert hostile_sql == plain_sql
    assert "v" + text in params.values() and "k" + text in params.values()


def _value(v: str) -> struct_pb2.Value:
    return struct_pb2.Value(string_value=v)


@pytest.fixture(scope="module")
def program(engine):  # noqa: ANN001, ANN201
    tenant_id, token = factories.tenant(engine, "Injection")
    partner = factories.partner(engine, tenant_id, "P")
    return tenant_id, token, partner, factories.customer(engine, tenant_id, partner)


@pytest.mark.parametrize("text", HOSTILE + VALUE_ONLY)
def test_hostile_names_paths_and_values_match_exactly_their_events(stub, pool, program, text: str) -> None:  # noqa: ANN001
    tenant_id, token, partner, customer = program
    as_key = text if text in HOSTILE else "k"
    name = "evt " + (text if text in HOSTILE else "plain")
    hit = {as_key: {as_key: text}, "n": 2.5}
    insert_events(pool, [
        event(tenant_id, partner, customer, name, T0, hit),
        event(tenant_id, partner, customer, name, T0 + dt.timedelta(seconds=1), hit),
        event(tenant_id, partner, customer, name, T0, {as_key: {as_key: text + "x"}, "n": 100}),
        event(tenant_id, partner, customer, name + "x", T0, hit),
    ])
    metric = pb.Metric(name=f"m {text!r}", aggregation="sum", field="n", event_names=[name])
    metric.filter_groups.add().filters.add(path=f"{as_key}.{as_key}", operator=filter_pb2.FILTER_OPERATOR_EQUALS,
                                           values=[_value(text)])
    created = stub.CreateMetric(pb.CreateMetricRequest(metric=metric), metadata=bearer(token))
    assert created.event_names == [name] and created.filter_groups[0].filters[0].values[0].string_value == text
    window = window_pb2.Window(mode=window_pb2.WINDOW_MODE_RANGE)
    window.start_time.FromDatetime(T0)
    window.end_time.FromDatetime(T0 + dt.timedelta(minutes=1))
    resp = stub.QueryMetric(pb.QueryMetricRequest(metric_id=created.id, window=window), metadata=bearer(token))
    assert (resp.value, resp.skipped_count) == (5.0, 0)
    listed = stub.QueryEvents(pb.QueryEventsRequest(event_names=[name], filter_groups=metric.filter_groups),
                              metadata=bearer(token))
    assert [e.properties[as_key][as_key] for e in listed.events] == [text, text]


def test_the_events_table_is_still_there(pool) -> None:  # noqa: ANN001
    with pool.client() as client:
        assert client.command("EXISTS TABLE events") == 1
