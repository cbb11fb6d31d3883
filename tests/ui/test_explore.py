"""A metric's own page: its value, previous period, series and partner breakdown at any level and
window, matching the API; managers and partner users read it within their slice only."""
from __future__ import annotations

from tests.ui.conftest import shoot
from tests.ui.http import LAST_30_DAYS, ok, query_metric, shown
from tests.ui.world import PURCHASES

SLICE_A1 = ("res_a1", "sub_a1x", "sub_a1y")


def _open(page, sign_in, token: str, metric_id: str) -> None:  # noqa: ANN001
    sign_in(token, f"#/metrics/{metric_id}")
    page.wait_for_selector("#explore-bar select[name=explore-level]")
    page.select_option("#explore-bar select[name=explore-window]", "last30d")
    _wait(page)


def _wait(page) -> None:  # noqa: ANN001
    page.wait_for_function("() => { const s = document.querySelector('#explore-showing')?.textContent || '';"
                           " return s && s !== 'Loading…'; }")


def _headline(page) -> tuple[float, str]:  # noqa: ANN001
    value = page.locator("#explore-value .metric-value .value")
    return float(value.get_attribute("data-value")), value.inner_text()


def _breakdown(page) -> dict[str, float]:  # noqa: ANN001
    return dict(page.locator("#explore-partners tbody tr").evaluate_all(
        "rows => rows.map(r => [r.dataset.partner, Number(r.dataset.value)])"))


def _own(key: str) -> float:
    return sum(amount for _, amount, _ in PURCHASES[key])


def test_admin_explores_a_metric_by_level_window_grain_and_partner(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    _open(page, sign_in, world.admin_token, world.revenue_id)
    api = query_metric(base_url, world.admin_token, world.revenue_id, grain="GRAIN_DAY")
    value, text = _headline(page)
    assert value == float(api["value"]) == sum(_own(k) for k in PURCHASES)
    assert text == shown(api["value"])
    assert "All partners" in page.inner_text("#explore-showing")
    # The series is the API's, bucket by bucket.
    cells = page.locator("#explore-series .series-table td[data-value]")
    assert [float(v) for v in cells.evaluate_all("tds => tds.map(td => td.dataset.value)")] == \
        [float(b.get("value", 0)) for b in api["buckets"]]
    # One row per partner, each holding what that partner's own customers bought.
    rows = _breakdown(page)
    assert rows == {world.partners[k]: _own(k) for k in PURCHASES}
    # Written as the headline is: the number, then the unit.
    assert page.locator(f'#explore-partners tr[data-partner="{world.partners["dist_b"]}"] td.num').inner_text() == \
        f"{shown(_own('dist_b'))} EUR"
    shoot(page, "metric-explore-admin")

    # A partner row opens that partner's slice: itself and its sub-partners.
    page.locator(f'#explore-partners tr[data-partner="{world.partners["res_a1"]}"] button').click()
    page.wait_for_function("v => Number(document.querySelector('#explore-value .value')?.dataset.value) === v",
                           arg=sum(_own(k) for k in SLICE_A1))
    _wait(page)
    assert page.locator("#explore-bar select[name=explore-level]").input_value() == f"p:{world.partners['res_a1']}"
    assert set(_breakdown(page)) == {world.partners[k] for k in SLICE_A1}

    # Without a series, and with a week's grain: the page follows.
    page.select_option("#explore-bar select[name=grain]", "")
    page.wait_for_function("() => !document.querySelector('#explore-series canvas')")
    page.select_option("#explore-bar select[name=grain]", "GRAIN_WEEK")
    page.wait_for_selector("#explore-series canvas")
    weekly = query_metric(base_url, world.admin_token, world.revenue_id, grain="GRAIN_WEEK",
                          level={"kind": "LEVEL_KIND_PARTNER", "id": world.partners["res_a1"]})
    page.wait_for_function("n => document.querySelectorAll('#explore-series .series-table td[data-value]').length === n",
                           arg=len(weekly["buckets"]))

    # A range still being picked asks nothing, and leaves no numbers on screen that it would not match.
    asked = []
    page.on("request", lambda r: asked.append(r.url) if r.url.endswith(":query") else None)
    page.select_option("#explore-bar select[name=explore-window]", "range")
    page.fill("#explore-bar input[aria-label=From]", "2026-11-10")
    page.fill("#explore-bar input[aria-label='To (inclusive)']", "2026-11-01")
    page.locator("#explore-bar input[aria-label='To (inclusive)']").dispatch_event("change")
    page.select_option("#explore-bar select[name=grain]", "GRAIN_DAY")
    assert "Finish the date range" in page.inner_text("#explore-showing")
    assert page.locator("#explore-value .value").count() == 0 and asked == []


def test_manager_reads_a_metric_within_the_partners_they_manage(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    token = world.manager_token
    sign_in(token, "#/metrics")
    page.wait_for_selector(f'#metric-list tr[data-id="{world.revenue_id}"]')
    assert page.locator("#nav a[href='#/metrics']").count() == 1
    assert page.locator("#new-metric").count() == 0  # only admins define metrics

    _open(page, sign_in, token, world.revenue_id)
    assert page.locator("#metric-form").count() == 0
    assert page.inner_text("#metric-definition") == "Sums amount over purchase events, in EUR."
    mine = query_metric(base_url, token, world.revenue_id, level={"kind": "LEVEL_KIND_ALL_PARTNERS"})
    value, _ = _headline(page)
    assert value == float(mine["value"]) == sum(_own(k) for k in SLICE_A1)
    assert "All my partners" in page.inner_text("#explore-showing")
    # The breakdown lists the managed partners, never a sibling.
    assert _breakdown(page) == {world.partners[k]: _own(k) for k in SLICE_A1}
    options = page.locator("#explore-bar select[name=explore-level] option").evaluate_all("os => os.map(o => o.value)")
    assert {o[2:] for o in options if o.startswith("p:")} == {world.partners[k] for k in SLICE_A1}
    shoot(page, "metric-explore-manager")

    # One customer of theirs: its own purchases, and no partner breakdown for a single customer.
    page.select_option("#explore-bar select[name=explore-level]", "customer")
    page.fill("#explore-bar .customer-pick input", world.emails["sub_a1y"])
    page.locator("#explore-bar .customer-pick button").click()
    page.wait_for_function("() => (document.querySelector('#explore-showing')?.textContent || '').includes('customer')")
    _wait(page)
    assert _headline(page)[0] == _own("sub_a1y")
    assert page.locator("#explore-partners").count() == 0


def test_partner_user_explores_only_their_own_slice(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    token = world.partner_user_token
    _open(page, sign_in, token, world.purchases_id)
    options = page.locator("#explore-bar select[name=explore-level] option").evaluate_all("os => os.map(o => o.value)")
    assert "all" not in options
    assert page.locator("#explore-bar input[name=by-partner]").count() == 0
    value, _ = _headline(page)
    api = ok(base_url, "POST", f"/v1/metrics/{world.purchases_id}:query", token, {"window": LAST_30_DAYS})
    assert value == float(api["value"]) == sum(len(PURCHASES[k]) for k in SLICE_A1)
    assert page.locator("#explore-partners").count() == 0

    sign_in(token, "#/metrics/new")
    page.wait_for_selector(".notice.error:has-text('Only an admin defines metrics')")


def test_a_reader_sees_what_a_filtered_metric_counts(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    metric = ok(base_url, "POST", "/v1/metrics", world.admin_token, {
        "name": "Paid plans or big orders", "aggregation": "count", "eventNames": ["purchase"],
        "filterGroups": [
            {"filters": [{"path": "plan", "operator": "FILTER_OPERATOR_IN", "values": ["pro", "team"]}]},
            {"filters": [{"path": "amount", "operator": "FILTER_OPERATOR_GREATER", "values": [100]}]}]})
    _open(page, sign_in, world.partner_user_token, metric["id"])
    assert page.inner_text("#metric-definition") == \
        "Counts events over purchase events where (plan is one of pro, team) or (amount > 100)."
    expected = sum(1 for k in SLICE_A1 for _, amount, plan in PURCHASES[k] if plan in ("pro", "team") or amount > 100)
    value, _ = _headline(page)
    assert value == expected
