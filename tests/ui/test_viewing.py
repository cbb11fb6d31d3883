"""Viewing a shared dashboard: a partner user sees their own slice only, a managing operator
never a sibling partner; the numbers on screen are the API's numbers."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from tests.ui.conftest import shoot
from tests.ui.http import LAST_30_DAYS, call, ok, query_metric, shown
from tests.ui.world import PURCHASES

SLICE_A1 = ("res_a1", "sub_a1x", "sub_a1y")


def _metric_text(page, widget_id: str) -> tuple[float, str]:  # noqa: ANN001
    value = page.locator(f'.widget[data-widget-id="{widget_id}"] .metric-value .value')
    value.wait_for()
    return float(value.get_attribute("data-value")), value.inner_text()


def _level_options(page) -> list[str]:  # noqa: ANN001
    return page.locator("#view-bar select[name=level] option").evaluate_all("os => os.map(o => o.value)")


def _wait_rendered(page) -> None:  # noqa: ANN001
    page.wait_for_function("() => document.querySelectorAll('.widget .loading').length === 0"
                           " && (document.querySelector('#showing')?.textContent || '').length > 0")


def test_partner_user_sees_only_their_own_numbers(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    token = world.partner_user_token
    sign_in(token)
    # The home page opens a dashboard shared with partners.
    page.wait_for_url(re.compile(r".*#/dashboards/[^/]+$"))
    landed = page.url.rsplit("/", 1)[1]
    assert ok(base_url, "GET", f"/v1/dashboards/{landed}", world.admin_token)["sharedWithPartners"] is True
    page.goto(f"{base_url}/#/dashboards/{world.shared_dashboard_id}")
    _wait_rendered(page)
    shoot(page, "partner-dashboard")

    own = query_metric(base_url, token, world.revenue_id)
    everyone = query_metric(base_url, world.admin_token, world.revenue_id)
    expected = sum(amount for key in SLICE_A1 for _, amount, _ in PURCHASES[key])
    assert float(own["value"]) == expected
    assert float(everyone["value"]) > expected
    value, text = _metric_text(page, "rev")
    assert value == float(own["value"]) and text == shown(own["value"])
    count, count_text = _metric_text(page, "count")
    api_count = query_metric(base_url, token, world.purchases_id)["value"]
    assert count == float(api_count) == sum(len(PURCHASES[k]) for k in SLICE_A1) and count_text == shown(api_count)
    assert page.locator('.widget[data-widget-id="rev"] .unit').inner_text() == "EUR"
    assert "previous period" in page.locator('.widget[data-widget-id="rev"] .metric-change').inner_text()

    # The chart's data is the API's time series, bucket by bucket.
    series = query_metric(base_url, token, world.revenue_id, grain="GRAIN_DAY")
    cells = page.locator('.widget[data-widget-id="trend"] .series-table td[data-value]')
    assert [float(v) for v in cells.evaluate_all("tds => tds.map(td => td.dataset.value)")] == \
        [float(b.get("value", 0)) for b in series["buckets"]]
    labels = page.evaluate("() => Chart.getChart(document.querySelector('[data-widget-id=trend] canvas')).data.labels")
    assert len(labels) == len(series["buckets"]) and all(label[:3].isalpha() for label in labels)

    # Event list: paginated, and only customers of the partner's own subtree.
    own_customers = {world.customers[k] for k in SLICE_A1}
    rows = page.locator('.widget[data-widget-id="latest"] tbody tr')
    assert rows.count() == 3
    shown_customers = "trs => trs.map(tr => [tr.children[2].dataset.customer, tr.children[2].textContent])"
    seen = set(map(tuple, rows.evaluate_all(shown_customers)))
    page.locator('.widget[data-widget-id="latest"]').get_by_role("button", name="Older ›").click()
    page.wait_for_function("() => document.querySelector('[data-widget-id=latest] .page-no').textContent === 'Page 2'")
    seen |= set(map(tuple, rows.evaluate_all(shown_customers)))
    assert rows.count() == 3 and {cid for cid, _ in seen} <= own_customers
    names = {world.customers[k]: f"Customer of {k}" for k in SLICE_A1}
    assert all(name == names[cid] for cid, name in seen)  # each named, its own customers all
    assert page.locator('.widget[data-widget-id="latest"] th[data-column="amount"]').count() == 1

    # The level picker offers the partner's own subtree only.
    options = _level_options(page)
    assert "all" not in options
    assert {o[2:] for o in options if o.startswith("p:")} == {world.partners[k] for k in SLICE_A1}
    page.select_option("#view-bar select[name=level]", f"p:{world.partners['sub_a1x']}")
    page.wait_for_function("() => (document.querySelector('#showing')?.textContent || '').includes('Sub A1x')")
    _wait_rendered(page)
    sub = query_metric(base_url, token, world.revenue_id, level={"kind": "LEVEL_KIND_PARTNER", "id": world.partners["sub_a1x"]})
    value, text = _metric_text(page, "rev")
    assert value == float(sub["value"]) == 14.0 and text == shown(sub["value"])
    shoot(page, "partner-sub-partner-level")

    # Only shared dashboards are listed; an internal one cannot be opened.
    page.goto(f"{base_url}/#/dashboards")
    page.wait_for_selector("#dashboard-list .dash-link")
    listed = page.locator("#dashboard-list tbody tr").evaluate_all("trs => trs.map(tr => tr.dataset.id)")
    assert world.shared_dashboard_id in listed and world.internal_dashboard_id not in listed
    assert all(ok(base_url, "GET", f"/v1/dashboards/{i}", world.admin_token)["sharedWithPartners"] for i in listed)
    assert page.locator("#create-dashboard").count() == 0
    shoot(page, "partner-dashboard-list")
    page.goto(f"{base_url}/#/dashboards/{world.internal_dashboard_id}")
    page.wait_for_selector(".notice.error")
    status, _ = call(base_url, "GET", f"/v1/dashboards/{world.internal_dashboard_id}", token)
    assert status == 404


def test_manager_cannot_pick_a_sibling_partner(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    token = world.manager_token
    sign_in(token, f"#/dashboards/{world.shared_dashboard_id}")
    _wait_rendered(page)
    options = _level_options(page)
    assert "all" in options  # "All my partners"
    partner_ids = {o[2:] for o in options if o.startswith("p:")}
    assert partner_ids == {world.partners[k] for k in SLICE_A1}
    for sibling in ("res_a2", "dist_a", "dist_b"):
        assert world.partners[sibling] not in partner_ids
    assert page.locator("#view-bar select[name=level] option[value=all]").inner_text() == "All my partners"

    mine = query_metric(base_url, token, world.revenue_id, level={"kind": "LEVEL_KIND_ALL_PARTNERS"})
    value, text = _metric_text(page, "rev")
    assert value == float(mine["value"]) and text == shown(mine["value"])
    shoot(page, "manager-dashboard")

    # A sibling's customer cannot be picked either; one of the manager's own can.
    page.select_option("#view-bar select[name=level]", "customer")
    page.fill(".customer-pick input", world.emails["res_a2"])
    page.locator(".customer-pick button").click()
    page.wait_for_selector(".customer-pick .field-msg:has-text('No such customer')")
    shoot(page, "manager-sibling-customer-refused")
    page.fill(".customer-pick input", world.emails["sub_a1y"])
    page.locator(".customer-pick button").click()
    page.wait_for_function("() => (document.querySelector('#showing')?.textContent || '').includes('customer')")
    _wait_rendered(page)
    assert f"customer {world.emails['sub_a1y']}" in page.inner_text("#showing")  # as picked, not by id
    level = {"kind": "LEVEL_KIND_CUSTOMER", "id": world.customers["sub_a1y"]}
    one = query_metric(base_url, token, world.revenue_id, level=level)
    value, _ = _metric_text(page, "rev")
    assert value == float(one["value"]) == 60.0
    # The API agrees that the sibling is out of reach.
    status, _ = call(base_url, "POST", f"/v1/metrics/{world.revenue_id}:query", token,
                     {"window": LAST_30_DAYS, "level": {"kind": "LEVEL_KIND_PARTNER", "id": world.partners["res_a2"]}})
    assert status == 403


def test_time_axes_read_well_at_every_grain(page, sign_in, world) -> None:  # noqa: ANN001
    """Bucket starts are labelled in the tenant's time zone, quarters included."""
    sign_in(world.admin_token)
    labels = page.evaluate("""async () => {
      const f = await import('/js/format.js');
      const tz = 'Europe/Berlin';
      return {
        hour: f.bucketLabels(['2025-03-04T13:00:00Z'], 'GRAIN_HOUR', tz),
        day: f.bucketLabels(['2025-03-03T23:00:00Z', '2025-03-04T23:00:00Z'], 'GRAIN_DAY', tz),
        dayYears: f.bucketLabels(['2024-12-30T23:00:00Z', '2024-12-31T23:00:00Z'], 'GRAIN_DAY', tz),
        week: f.bucketLabels(['2025-03-02T23:00:00Z'], 'GRAIN_WEEK', tz),
        month: f.bucketLabels(['2025-02-28T23:00:00Z'], 'GRAIN_MONTH', tz),
        quarter: f.bucketLabels(['2024-12-31T23:00:00Z', '2025-03-31T22:00:00Z', '2025-06-30T22:00:00Z',
                                 '2025-09-30T22:00:00Z'], 'GRAIN_QUARTER', tz),
      };
    }""")
    assert labels == {
        "hour": ["Mar 4 14:00"],
        "day": ["Mar 4", "Mar 5"],
        "dayYears": ["Dec 31, 2024", "Jan 1, 2025"],
        "week": ["Wk of Mar 3"],
        "month": ["Mar 2025"],
        "quarter": ["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025"],
    }


def test_every_widget_has_its_own_loading_empty_and_error_state(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    token = world.admin_token
    gone = ok(base_url, "POST", "/v1/metrics", token, {"name": "Soon gone", "aggregation": "count",
                                                     "eventNames": ["purchase"]})
    quiet = ok(base_url, "POST", "/v1/metrics", token, {"name": "Nothing yet", "aggregation": "count",
                                                      "eventNames": ["never_happens"]})
    d = ok(base_url, "POST", "/v1/dashboards", token, {"name": "States", "defaultWindow": LAST_30_DAYS, "widgets": [
        {"id": "gone", "type": "metric", "metricId": gone["id"], "position": {"x": 0, "y": 0, "w": 4, "h": 2}},
        {"id": "quiet", "type": "metric", "metricId": quiet["id"], "position": {"x": 4, "y": 0, "w": 4, "h": 2}},
        {"id": "series", "type": "timeseries", "metricId": quiet["id"], "grain": "GRAIN_DAY",
         "position": {"x": 0, "y": 2, "w": 8, "h": 3}},
        {"id": "events", "type": "event_list", "eventNames": ["never_happens"], "position": {"x": 0, "y": 5, "w": 8, "h": 3}},
    ]})
    ok(base_url, "DELETE", f"/v1/metrics/{gone['id']}?force=true", token)

    held = []
    page.route("**/*:render", lambda route: held.append(route))  # hold the render: see the loading state
    sign_in(token, f"#/dashboards/{d['id']}")
    page.wait_for_function("() => document.querySelectorAll('.widget .loading').length === 4")
    shoot(page, "widget-states-loading")
    for route in held:
        route.continue_()
    _wait_rendered(page)
    shoot(page, "widget-states")

    error = page.locator('.widget[data-widget-id="gone"] .widget-error')
    assert error.count() == 1 and "no longer exists" in error.inner_text()
    assert page.locator('.widget[data-widget-id="quiet"] .value').inner_text() == "0"
    assert "No events in this window." in page.locator('.widget[data-widget-id="quiet"]').inner_text()
    assert "No events in this window." in page.locator('.widget[data-widget-id="series"] .chart-empty').inner_text()
    assert "No events in this window." in page.locator('.widget[data-widget-id="events"] .empty').inner_text()


def test_a_custom_range_is_whole_days_of_the_tenant_zone(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    """Dates picked for a range are local days of the tenant: in Auckland (UTC+13 in November) the
    range 1–30 November starts and ends at local midnights, not at UTC ones."""
    token = world.admin_token
    ok(base_url, "PATCH", "/v1/tenant?updateMask=timeZone", token, {"timeZone": "Pacific/Auckland"})
    try:
        sign_in(token, f"#/dashboards/{world.shared_dashboard_id}")
        _wait_rendered(page)
        page.select_option("#view-bar select[name=window]", "range")
        page.fill("#view-bar input[aria-label=From]", "2026-11-01")
        with page.expect_request(lambda r: r.url.endswith(":render")) as rendered:
            page.fill("#view-bar input[aria-label='To (inclusive)']", "2026-11-30")
            page.locator("#view-bar input[aria-label='To (inclusive)']").dispatch_event("change")
        window = json.loads(rendered.value.post_data)["window"]
        assert (window["startTime"], window["endTime"]) == ("2026-10-31T11:00:00Z", "2026-11-30T11:00:00Z")
        page.wait_for_function("() => (document.querySelector('#showing')?.textContent || '').includes('2026-11-30')")
        assert "2026-11-01 – 2026-11-30" in page.inner_text("#showing")
    finally:
        ok(base_url, "PATCH", "/v1/tenant?updateMask=timeZone", token, {"timeZone": "UTC"})


@pytest.mark.parametrize(("zone", "day"), [
    ("America/Santiago", "2025-09-07"),  # the clock skips midnight (00:00 -> 01:00)
    ("America/Havana", "2025-03-09"),
    ("Pacific/Auckland", "2026-11-01"),
    ("Australia/Lord_Howe", "2025-10-05"),  # a 30-minute change, at 02:00
    ("Asia/Kolkata", "2025-01-01"),
    ("America/New_York", "2025-11-02"),
])
def test_the_browser_and_the_server_agree_where_a_local_day_begins(page, sign_in, world, zone: str, day: str) -> None:  # noqa: ANN001
    from zoneinfo import ZoneInfo

    from services.metrics.compiler.windows import Calendar

    sign_in(world.admin_token)
    got = page.evaluate("async ([day, zone]) => (await import('./js/windows.js')).startOfLocalDay(day, zone)",
                        [day, zone])
    want = Calendar(ZoneInfo(zone)).midnight(dt.date.fromisoformat(day))
    assert got == want.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_saved_range_is_kept_until_its_dates_are_picked_again(page, sign_in, world) -> None:  # noqa: ANN001
    """A range saved as UTC days (or any instants) survives an edit that leaves its dates alone;
    picking dates makes it local days of the tenant again."""
    sign_in(world.admin_token)
    saved = {"mode": "WINDOW_MODE_RANGE", "startTime": "2025-11-01T00:00:00Z", "endTime": "2025-12-01T00:00:00Z"}
    kept, repicked = page.evaluate("""async (saved) => {
        const {windowPicker} = await import('./js/windows.js');
        const picker = windowPicker({value: saved, timeZone: 'America/New_York'});
        const kept = picker.getWindow();
        const [from, to] = picker.querySelectorAll('input[type=date]');
        from.value = '2025-11-01'; to.value = '2025-11-30';
        to.dispatchEvent(new Event('change'));
        return [kept, picker.getWindow()];
    }""", saved)
    assert kept == saved
    assert (repicked["startTime"], repicked["endTime"]) == ("2025-11-01T04:00:00Z", "2025-12-01T05:00:00Z")


def test_a_viewer_switch_gives_way_when_the_saved_chart_style_changes(page, sign_in, world) -> None:  # noqa: ANN001
    sign_in(world.admin_token)
    shown_as = page.evaluate("""async () => {
        const {chartType} = await import('./js/widgets/timeseries.js');
        const out = {};
        localStorage.setItem('partneros.chart.d.w', 'line|CHART_STYLE_BAR');  // switched to a line over bars
        out.kept = chartType('d.w', 'GRAIN_QUARTER', 'CHART_STYLE_BAR');
        out.stale = chartType('d.w', 'GRAIN_QUARTER', 'CHART_STYLE_UNSPECIFIED');  // the editor reset it
        localStorage.setItem('partneros.chart.d.w', 'line');  // switched before styles were saved
        out.old = chartType('d.w', 'GRAIN_QUARTER', 'CHART_STYLE_UNSPECIFIED');
        out.oldStale = chartType('d.w', 'GRAIN_DAY', 'CHART_STYLE_BAR');
        localStorage.removeItem('partneros.chart.d.w');
        out.saved = chartType('d.w', 'GRAIN_DAY', 'CHART_STYLE_BAR');
        out.byGrain = chartType('d.w', 'GRAIN_MONTH', undefined);
        return out;
    }""")
    assert shown_as == {"kept": "line", "stale": "bar", "old": "line", "oldStale": "bar", "saved": "bar",
                        "byGrain": "bar"}


def test_a_render_that_failed_and_then_worked_leaves_no_failure_on_screen(page, sign_in, world) -> None:  # noqa: ANN001
    failing = {"on": True}

    def render(route) -> None:  # noqa: ANN001
        if failing["on"]:
            route.fulfill(status=503, content_type="application/json",
                          body=json.dumps({"error": {"code": 503, "status": "UNAVAILABLE", "message": "try later"}}))
        else:
            route.continue_()

    page.route("**/*:render", render)
    sign_in(world.admin_token, f"#/dashboards/{world.shared_dashboard_id}")
    banner = page.locator("[data-render-failed]")
    banner.wait_for()
    failing["on"] = False
    banner.get_by_role("button", name="Try again").click()
    _wait_rendered(page)
    assert banner.count() == 0
    assert page.locator(".widget .widget-error").count() == 0


def test_a_window_outside_the_presets_reads_as_a_person_would_say_it(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    d = ok(base_url, "POST", "/v1/dashboards", world.admin_token, {"name": "Ninety days", "defaultWindow": {
        "period": "PERIOD_DAY", "mode": "WINDOW_MODE_TRAILING", "count": 90}})
    sign_in(world.admin_token, f"#/dashboards/{d['id']}")
    page.wait_for_function("() => document.querySelector('#showing')?.textContent.includes('·')")
    assert page.locator("#showing").inner_text().endswith("Last 90 days")


def test_a_range_that_ends_before_it_starts_says_so(page, sign_in, world) -> None:  # noqa: ANN001
    sign_in(world.admin_token, f"#/dashboards/{world.shared_dashboard_id}")
    _wait_rendered(page)
    page.select_option("#view-bar select[name=window]", "range")
    page.fill("#view-bar input[aria-label=From]", "2026-11-10")
    page.locator("#view-bar input[aria-label=From]").dispatch_event("change")
    page.fill("#view-bar input[aria-label='To (inclusive)']", "2026-11-01")
    page.locator("#view-bar input[aria-label='To (inclusive)']").dispatch_event("change")
    assert page.locator("#view-bar .range-problem").inner_text() == "The last day is before the first."
    page.fill("#view-bar input[aria-label='To (inclusive)']", "2026-11-30")
    page.locator("#view-bar input[aria-label='To (inclusive)']").dispatch_event("change")
    assert page.locator("#view-bar .range-problem").inner_text() == ""
