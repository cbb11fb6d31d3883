"""An operator signs in, defines a metric, builds a dashboard with every widget type, arranges
it by drag and resize, saves it, and sees the API's numbers on it."""
from __future__ import annotations

import re

from tests.ui.conftest import shoot
from tests.ui.http import LAST_30_DAYS, ok, query_metric, shown

LAST_4_QUARTERS = {"period": "PERIOD_QUARTER", "mode": "WINDOW_MODE_TRAILING", "count": 4}


def _positions(page) -> dict[str, dict[str, int]]:  # noqa: ANN001
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.grid-stack-item')].map(el =>
        [el.gridstackNode.id, {x: el.gridstackNode.x, y: el.gridstackNode.y, w: el.gridstackNode.w,
                               h: el.gridstackNode.h}]))""")


def _drag(page, source, dx: float, dy: float) -> None:  # noqa: ANN001
    box = source.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=5)
    page.mouse.move(x + dx, y + dy, steps=5)
    page.mouse.up()


def _add_widget(page, type_: str, fill) -> None:  # noqa: ANN001
    page.click("#add-widget")
    dialog = page.locator("#widget-form")
    dialog.locator("select[name=type]").select_option(type_)
    fill(dialog)
    dialog.get_by_role("button", name="Apply").click()
    dialog.wait_for(state="detached")


def test_sign_in_form_refuses_a_bad_token_then_signs_in_and_out(page, base_url, world) -> None:  # noqa: ANN001
    page.goto(base_url)
    page.fill("#token", "pt_not_a_real_token")
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector(".signin-msg .notice.error")
    assert "not valid" in page.inner_text(".signin-msg")
    shoot(page, "sign-in-refused")
    page.fill("#token", world.admin_token)
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#sign-out")
    assert page.inner_text("#who .badge") == "admin"
    page.click("#sign-out")
    page.wait_for_selector("#signin-form")
    page.reload()
    page.wait_for_selector("#signin-form")  # the token is gone from this browser
    assert page.evaluate("() => localStorage.getItem('partneros.token')") is None


def test_metric_form_validates_as_you_type_and_shows_server_errors(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    sign_in(world.admin_token, "#/metrics/new")
    form = page.locator("#metric-form")
    form.locator("input[name=name]").fill("Pro revenue")
    form.locator("select[name=aggregation]").select_option("sum")
    form.locator("input[name=event-names]").fill("purchase")
    field_msg = form.locator('[data-field="field"] .field-msg')
    assert "needs the payload field" in field_msg.inner_text()
    assert form.locator("#save-metric").is_disabled()
    form.locator("input[name=field]").fill("amount")
    assert not form.locator("#save-metric").is_disabled()

    # A filter the form cannot judge alone: CONTAINS with a number. The server refuses it and
    # its message lands on that filter row.
    form.locator("#add-group").click()
    assert "filter row is incomplete" in form.locator("#save-hint").inner_text()  # why Save is off
    row = form.locator(".filter-row").first
    row.locator(".filter-path").fill("plan")
    row.locator(".filter-op").select_option("FILTER_OPERATOR_CONTAINS")
    row.locator(".filter-values").fill("5")
    form.locator("#save-metric").click()
    page.wait_for_selector("#metric-status .notice.error")
    assert "CONTAINS" in row.locator(".field-msg").inner_text()
    shoot(page, "metric-form-server-error")

    row.locator(".filter-values").fill("pro")
    form.locator("#save-metric").click()
    page.wait_for_url(re.compile(r".*#/metrics/(?!new)[^/]+$"))
    metric_id = page.url.rsplit("/", 1)[1]
    saved = ok(base_url, "GET", f"/v1/metrics/{metric_id}", world.admin_token)
    assert saved["aggregation"] == "sum" and saved["field"] == "amount"
    assert saved["filterGroups"][0]["filters"][0] == {"path": "plan", "operator": "FILTER_OPERATOR_CONTAINS",
                                                      "values": ["pro"]}
    page.wait_for_selector("#metric-form")
    shoot(page, "metric-form-saved")


def test_operator_builds_a_dashboard_with_every_widget_type(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    token = world.admin_token
    sign_in(token, "#/dashboards")
    page.wait_for_selector("#dashboard-list .dash-link")
    shoot(page, "operator-dashboard-list")
    page.fill("input[name=new-dashboard]", "Built in the browser")
    page.click("#create-dashboard button[type=submit]")
    page.wait_for_url(re.compile(r".*#/dashboards/[^/]+/edit$"))
    dashboard_id = page.url.split("/")[-2]
    page.wait_for_selector("#edit-bar")

    def metric_widget(d) -> None:  # noqa: ANN001
        d.locator("input[name=title]").fill("Revenue, last 30 days")
        assert "Pick the metric" in d.locator('[data-field="metric"] .field-msg').inner_text()
        assert d.get_by_role("button", name="Apply").is_disabled()
        d.locator("select[name=metric]").select_option(world.revenue_id)

    def series_widget(d) -> None:  # noqa: ANN001
        d.locator("input[name=title]").fill("Purchases per quarter")
        d.locator("select[name=metric]").select_option(world.purchases_id)
        d.locator("select[name=grain]").select_option("GRAIN_QUARTER")
        d.locator("select[name=chart-style]").select_option("CHART_STYLE_LINE")  # not the quarters' default
        d.locator("select[name=widget-window]").select_option("last4q")

    def events_widget(d) -> None:  # noqa: ANN001
        d.locator("input[name=title]").fill("Latest purchases")
        d.locator("input[name=event-names]").fill("purchase")
        d.locator("input[name=columns]").fill("plan, amount..x")
        assert "not a payload path" in d.locator('[data-field="columns"] .field-msg').inner_text()
        shoot(page, "widget-form-invalid-column")
        d.locator("input[name=columns]").fill("plan, amount")
        d.locator("input[name=limit]").fill("5")

    _add_widget(page, "metric", metric_widget)
    _add_widget(page, "timeseries", series_widget)
    _add_widget(page, "event_list", events_widget)
    assert page.locator(".grid-stack-item").count() == 3
    assert "Unsaved changes" in page.inner_text("#dirty")

    page.click("#settings")
    settings = page.locator("#settings-form")
    settings.locator("input[name=shared]").check()
    settings.locator("select[name=default-window]").select_option("last30d")
    settings.get_by_role("button", name="Apply").click()
    settings.wait_for(state="detached")

    # Arrange: drag the metric widget to the right, widen the event list to the full grid.
    before = _positions(page)
    ids = {page.locator(f'.grid-stack-item[gs-id="{i}"] .widget').get_attribute("data-widget-type"): i for i in before}
    col = page.locator(".grid-stack").bounding_box()["width"] / 12
    _drag(page, page.locator(f'.grid-stack-item[gs-id="{ids["metric"]}"] .widget-head'), col * 8, 0)
    item = page.locator(f'.grid-stack-item[gs-id="{ids["event_list"]}"]')
    item.hover()
    _drag(page, item.locator(".ui-resizable-se"), col * 6, 0)
    after = _positions(page)
    assert after[ids["metric"]]["x"] > before[ids["metric"]]["x"]
    assert after[ids["event_list"]]["w"] == 12
    # The same from the keyboard: Move grabs the time series, arrows move it, Shift + arrows resize it,
    # into free cells only; Escape puts it back, Enter drops it.
    series = ids["timeseries"]
    move = page.locator(f'.grid-stack-item[gs-id="{series}"] .move-widget')
    start = after[series]
    move.focus()
    page.keyboard.press("ArrowLeft")  # not grabbed yet: nothing moves
    assert _positions(page)[series] == start
    page.keyboard.press("Enter")
    assert move.get_attribute("aria-pressed") == "true" and "Escape puts it back" in page.inner_text("#arrange-hint")
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("ArrowRight")
    assert _positions(page)[series] == {**start, "x": start["x"] + 1, "w": start["w"] - 1}
    below = _positions(page)[ids["event_list"]]
    page.keyboard.press("ArrowDown")  # the event list lies right below: it is named, not pushed
    page.wait_for_function("() => document.querySelector('#arrange-announce').textContent.includes('in the way')")
    assert _positions(page)[ids["event_list"]] == below
    page.keyboard.press("Escape")
    assert _positions(page)[series] == start and move.get_attribute("aria-pressed") == "false"
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Enter")
    assert move.get_attribute("aria-pressed") == "false"
    page.keyboard.press("ArrowLeft")  # dropped: the arrows are the page's again
    after = _positions(page)
    assert after[series] == {**start, "w": start["w"] - 1}
    assert page.evaluate("() => document.activeElement.classList.contains('move-widget')")
    shoot(page, "operator-editor")

    page.click("#save")
    page.wait_for_selector("#dashboard-status .notice.success")
    saved = ok(base_url, "GET", f"/v1/dashboards/{dashboard_id}", token)
    assert saved["sharedWithPartners"] is True and saved["defaultWindow"] == LAST_30_DAYS
    by_type = {w["type"]: w for w in saved["widgets"]}
    assert set(by_type) == {"metric", "timeseries", "event_list"}
    for w in saved["widgets"]:
        assert {k: w["position"].get(k, 0) for k in "xywh"} == after[w["id"]]
    assert by_type["timeseries"]["grain"] == "GRAIN_QUARTER"
    assert by_type["timeseries"]["chartStyle"] == "CHART_STYLE_LINE"
    assert by_type["event_list"]["columns"] == ["plan", "amount"] and by_type["event_list"]["limit"] == 5

    # View it: the numbers are the API's.
    page.click("text=Done")
    page.wait_for_selector("#edit")
    page.wait_for_function("() => document.querySelectorAll('.widget .loading').length === 0"
                           " && (document.querySelector('#showing')?.textContent || '').length > 0")
    shoot(page, "operator-dashboard-view")
    value = page.locator(f'.widget[data-widget-id="{ids["metric"]}"] .metric-value .value')
    api_value = query_metric(base_url, token, world.revenue_id)["value"]
    assert float(value.get_attribute("data-value")) == float(api_value)
    assert value.inner_text() == shown(api_value)
    series = query_metric(base_url, token, world.purchases_id, window=LAST_4_QUARTERS, grain="GRAIN_QUARTER")
    cells = page.locator(f'.widget[data-widget-id="{ids["timeseries"]}"] .series-table td[data-value]')
    assert [float(v) for v in cells.evaluate_all("tds => tds.map(td => td.dataset.value)")] == \
        [float(b.get("value", 0)) for b in series["buckets"]]
    labels = page.evaluate(f"""() => Chart.getChart(document.querySelector(
        '[data-widget-id="{ids["timeseries"]}"] canvas')).data.labels""")
    assert len(labels) == 4 and all(re.fullmatch(r"Q[1-4] \d{4}", label) for label in labels)
    chart_type = page.evaluate(f"""() => Chart.getChart(document.querySelector(
        '[data-widget-id="{ids["timeseries"]}"] canvas')).config.type""")
    assert chart_type == "line"  # as saved on the widget, though quarters default to bars
    events = ok(base_url, "POST", "/v1/events:query", token,
                {"eventNames": ["purchase"], "window": LAST_30_DAYS, "pageSize": 5})["events"]
    rows = page.locator(f'.widget[data-widget-id="{ids["event_list"]}"] tbody tr')
    assert rows.evaluate_all("trs => trs.map(tr => tr.dataset.eventId)") == [e["eventId"] for e in events]
    amounts = page.locator(f'.widget[data-widget-id="{ids["event_list"]}"] tbody td[data-column="amount"]')
    assert amounts.all_inner_texts() == [shown(e["properties"]["amount"]) for e in events]
    customers = page.locator(f'.widget[data-widget-id="{ids["event_list"]}"] tbody td[data-customer]')
    assert all(e.get("customerName") for e in events)  # the admin's slice holds every customer
    assert customers.all_inner_texts() == [e["customerName"] for e in events]
    assert customers.evaluate_all("tds => tds.map(td => td.title)") == [e["customerId"] for e in events]


def test_duplicate_rename_and_delete_from_the_list(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    token = world.admin_token
    page.on("dialog", lambda d: d.accept())
    sign_in(token, "#/dashboards")
    row = page.locator(f'#dashboard-list tr[data-id="{world.internal_dashboard_id}"]')
    row.get_by_role("button", name="Duplicate").click()
    page.wait_for_selector("#dashboard-list .dash-link:text-is('Internal only (copy)')")
    copy = page.locator("#dashboard-list tr", has=page.locator(".dash-link:text-is('Internal only (copy)')"))
    copy_id = copy.get_attribute("data-id")
    copy = page.locator(f'#dashboard-list tr[data-id="{copy_id}"]')
    copy.get_by_role("button", name="Rename").click()
    copy.locator("input[name=rename]").fill("Scratch board")
    copy.get_by_role("button", name="Save").click()
    page.wait_for_selector("#dashboard-list .dash-link:text-is('Scratch board')")
    assert ok(base_url, "GET", f"/v1/dashboards/{copy_id}", token)["name"] == "Scratch board"
    shoot(page, "operator-list-after-rename")
    page.locator(f'#dashboard-list tr[data-id="{copy_id}"]').get_by_role("button", name="Delete").click()
    page.wait_for_selector(f'#dashboard-list tr[data-id="{copy_id}"]', state="detached")
    status = page.evaluate(f"async () => (await fetch('/v1/dashboards/{copy_id}', {{headers: "
                           f"{{Authorization: 'Bearer {token}'}}}})).status")
    assert status == 404


def test_a_widget_the_server_refuses_on_save_says_why_in_its_own_box(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    token = world.admin_token
    doomed = ok(base_url, "POST", "/v1/metrics", token, {"name": "Doomed", "aggregation": "count",
                                                       "eventNames": ["purchase"]})
    d = ok(base_url, "POST", "/v1/dashboards", token, {"name": "Refused widget"})
    sign_in(token, f"#/dashboards/{d['id']}/edit")
    page.wait_for_selector("#edit-bar")

    def metric_widget(dialog) -> None:  # noqa: ANN001
        dialog.locator("input[name=title]").fill("Doomed count")
        dialog.locator("select[name=metric]").select_option(doomed["id"])

    _add_widget(page, "metric", metric_widget)
    # each widget's tools name their widget for a screen reader
    assert page.get_by_role("button", name="Remove widget Doomed count").count() == 1
    ok(base_url, "DELETE", f"/v1/metrics/{doomed['id']}", token)  # gone before the dashboard is saved
    page.click("#save")
    page.wait_for_selector("#dashboard-status .notice.error, .notice.error")
    widget = page.locator(".widget.invalid")
    widget.wait_for()
    assert "not found" in widget.inner_text()
