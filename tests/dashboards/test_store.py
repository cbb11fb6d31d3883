"""The dashboard store on SQLite and PostgreSQL: CRUD, order, search, paging, versions, usage."""
from __future__ import annotations

import threading

import pytest
from partneros.common.v1 import level_pb2, window_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb

from libs.errors import Aborted, NotFound
from services.dashboards import store
from services.dashboards.usage import dashboards_using_metric
from tests import factories
from tests.dashboards.conftest import event_list, metric_widget


def _dashboard(name: str, *widgets: pb.Widget, shared: bool = False) -> pb.Dashboard:
    d = pb.Dashboard(name=name, description="about " + name, shared_with_partners=shared, widgets=widgets)
    d.default_level.kind = level_pb2.LEVEL_KIND_ALL_PARTNERS
    d.default_window.period = window_pb2.PERIOD_MONTH
    d.default_window.mode = window_pb2.WINDOW_MODE_TRAILING
    d.default_window.count = 3
    return d


def test_create_then_get_round_trips_every_field(store_engine) -> None:
    tenant, _ = factories.tenant(store_engine)
    w1 = metric_widget("met_1", "a", title="Revenue", x=0, y=0, w=6, h=3, grain=window_pb2.GRAIN_WEEK)
    w1.filters.add(path="plan.tier", operator=1).values.add(string_value="gold")
    w2 = event_list("b", x=6, y=0, w=6, h=3, columns=["plan.tier"], event_names=["signup"], limit=5)
    created = store.create(store_engine, tenant, _dashboard("Überblick", w1, w2, shared=True))
    assert created.id.startswith("dsh_") and created.version == 1
    got = store.get(store_engine, tenant, created.id)
    assert got == created
    assert [w.id for w in got.widgets] == ["a", "b"]
    assert got.widgets[0].filters[0].values[0].string_value == "gold"
    assert got.default_window.count == 3 and got.shared_with_partners
    assert got.create_time.seconds > 0 and got.update_time == got.create_time


def test_other_tenants_and_hidden_dashboards_are_not_found(store_engine) -> None:
    t1, _ = factories.tenant(store_engine)
    t2, _ = factories.tenant(store_engine)
    private = store.create(store_engine, t1, _dashboard("Private"))
    with pytest.raises(NotFound):
        store.get(store_engine, t2, private.id)
    with pytest.raises(NotFound):
        store.get(store_engine, t1, private.id, shared_only=True)
    assert store.list_page(store_engine, t2, size=10)[0] == []
    assert store.list_page(store_engine, t1, size=10, shared_only=True)[0] == []


def test_list_orders_by_name_pages_and_searches_case_insensitively(store_engine) -> None:
    tenant, _ = factories.tenant(store_engine)
    names = ["beta", "Alpha", "gamma 100%", "ALPHA two", "delta_x", "Epsilon"]
    for n in names:
        store.create(store_engine, tenant, _dashboard(n))
    seen, after = [], None
    for _ in range(10):
        page, after = store.list_page(store_engine, tenant, size=4, after=after)
        seen += [d.name for d in page]
        if after is None:
            break
    assert seen == sorted(names, key=str.casefold)
    assert [d.name for d in store.list_page(store_engine, tenant, size=10, query="alpha")[0]] == ["Alpha", "ALPHA two"]
    # LIKE wildcards in the query are literal characters
    assert [d.name for d in store.list_page(store_engine, tenant, size=10, query="0%")[0]] == ["gamma 100%"]
    assert [d.name for d in store.list_page(store_engine, tenant, size=10, query="a_x")[0]] == ["delta_x"]
    assert store.list_page(store_engine, tenant, size=10, query="_")[0][0].name == "delta_x"


def test_update_bumps_version_and_a_stale_update_is_aborted(store_engine) -> None:
    tenant, _ = factories.tenant(store_engine)
    d = store.create(store_engine, tenant, _dashboard("Ops", event_list("a")))
    d.name = "Ops v2"
    del d.widgets[:]
    d.widgets.append(event_list("z", x=4))
    v2 = store.update_dashboard(store_engine, tenant, d, based_on=1)
    assert v2.version == 2 and v2.name == "Ops v2" and [w.id for w in v2.widgets] == ["z"]
    d.name = "lost edit"
    with pytest.raises(Aborted) as err:
        store.update_dashboard(store_engine, tenant, d, based_on=1)
    assert err.value.reason == "VERSION_CONFLICT" and err.value.metadata["current_version"] == "2"
    assert store.get(store_engine, tenant, d.id).name == "Ops v2"
    with pytest.raises(NotFound):
        store.update_dashboard(store_engine, "ten_other", d, based_on=2)


def test_two_concurrent_edits_of_one_version_exactly_one_wins(store_engine) -> None:
    tenant, _ = factories.tenant(store_engine)
    d = store.create(store_engine, tenant, _dashboard("Race"))
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def edit(name: str) -> None:
        mine = pb.Dashboard()
        mine.CopyFrom(d)
        mine.name = name
        barrier.wait(timeout=10)
        try:
            store.update_dashboard(store_engine, tenant, mine, based_on=1)
            outcomes.append("ok:" + name)
        except Aborted:
            outcomes.append("aborted")

    threads = [threading.Thread(target=edit, args=(n,)) for n in ("first", "second")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(o.split(":")[0] for o in outcomes) == ["aborted", "ok"]
    final = store.get(store_engine, tenant, d.id)
    assert final.version == 2 and "ok:" + final.name in outcomes


def test_delete_removes_dashboard_and_its_widgets(store_engine) -> None:
    tenant, _ = factories.tenant(store_engine)
    d = store.create(store_engine, tenant, _dashboard("Gone", metric_widget("met_x", "a")))
    store.delete_dashboard(store_engine, tenant, d.id)
    with pytest.raises(NotFound):
        store.get(store_engine, tenant, d.id)
    with pytest.raises(NotFound):
        store.delete_dashboard(store_engine, tenant, d.id)
    assert dashboards_using_metric(store_engine, tenant, "met_x") == []


def test_usage_lists_each_dashboard_using_a_metric_once_and_only_in_its_tenant(store_engine) -> None:
    t1, _ = factories.tenant(store_engine)
    t2, _ = factories.tenant(store_engine)
    a = store.create(store_engine, t1, _dashboard("B board", metric_widget("met_r", "a"),
                                                  metric_widget("met_r", "b", kind="timeseries", x=4)))
    b = store.create(store_engine, t1, _dashboard("A board", metric_widget("met_r", "a")))
    store.create(store_engine, t1, _dashboard("Other", metric_widget("met_s", "a")))
    store.create(store_engine, t2, _dashboard("Foreign", metric_widget("met_r", "a")))
    assert dashboards_using_metric(store_engine, t1, "met_r") == [(b.id, "A board"), (a.id, "B board")]
    assert dashboards_using_metric(store_engine, t1, "met_none") == []
    # an update that drops the widget frees the metric
    a.ClearField("widgets")
    store.update_dashboard(store_engine, t1, a, based_on=1)
    assert dashboards_using_metric(store_engine, t1, "met_r") == [(b.id, "A board")]
