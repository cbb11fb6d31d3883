"""Two operators edit one dashboard: the stale save is refused (ABORTED, 409) and the UI says
so plainly, keeps the edit on screen, and offers to reload or to save over the newer version."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.ui.conftest import shoot
from tests.ui.http import call, ok


def _new_dashboard(base_url: str, world, name: str) -> dict:  # noqa: ANN001
    return ok(base_url, "POST", "/v1/dashboards", world.admin_token, {
        "name": name, "widgets": [{"id": "rev", "type": "metric", "title": "Revenue", "metricId": world.revenue_id,
                                   "position": {"x": 0, "y": 0, "w": 4, "h": 2}}]})


def _rename_in_ui(page, name: str) -> None:  # noqa: ANN001
    page.click("#settings")
    page.locator("#settings-form input[name=name]").fill(name)
    page.locator("#settings-form").get_by_role("button", name="Apply").click()
    page.locator("#settings-form").wait_for(state="detached")


def _someone_else_renames(base_url: str, world, d: dict, name: str) -> dict:  # noqa: ANN001
    return ok(base_url, "PATCH", f"/v1/dashboards/{d['id']}?updateMask=name", world.admin_token,
              {"id": d["id"], "name": name, "version": d["version"]})


def test_stale_save_shows_a_conflict_and_never_loses_the_edit(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    page.on("dialog", lambda d: d.accept())
    d = _new_dashboard(base_url, world, "Shared board")
    sign_in(world.admin_token, f"#/dashboards/{d['id']}/edit")
    page.wait_for_selector("#edit-bar")
    _rename_in_ui(page, "My name for it")

    theirs = _someone_else_renames(base_url, world, d, "Their name for it")
    page.click("#save")
    conflict = page.locator("#conflict")
    conflict.wait_for()
    assert "someone else changed this dashboard" in conflict.inner_text()
    assert "still here" in conflict.inner_text()
    # The edit is still on screen, unsaved; the server kept the other operator's version.
    assert page.inner_text("#dashboard-title").startswith("My name for it")
    assert "Unsaved changes" in page.inner_text("#dirty")
    assert ok(base_url, "GET", f"/v1/dashboards/{d['id']}", world.admin_token)["name"] == "Their name for it"
    # What the API answered: 409 with status ABORTED.
    status, body = call(base_url, "PATCH", f"/v1/dashboards/{d['id']}", world.admin_token,
                        {"id": d["id"], "name": "late", "version": d["version"]})
    assert status == 409 and body["error"]["status"] == "ABORTED"
    shoot(page, "conflict")

    # Choice 1: save mine over theirs (knowingly).
    page.click("#conflict-overwrite")
    page.wait_for_selector("#dashboard-status .notice.success")
    now = ok(base_url, "GET", f"/v1/dashboards/{d['id']}", world.admin_token)
    assert now["name"] == "My name for it" and int(now["version"]) > int(theirs["version"])

    # Choice 2: another conflict, this time reload the latest version.
    _rename_in_ui(page, "Second try")
    _someone_else_renames(base_url, world, now, "Renamed again elsewhere")
    page.click("#save")
    page.locator("#conflict").wait_for()
    page.click("#conflict-reload")
    page.wait_for_function("() => document.querySelector('#dashboard-title').textContent"
                           ".startsWith('Renamed again elsewhere')")
    assert "Saved" in page.inner_text("#dirty")
    shoot(page, "conflict-reloaded")


def test_unsaved_edits_are_guarded_and_widgets_can_be_changed_or_removed(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    d = _new_dashboard(base_url, world, "Guarded board")
    answers: list[bool] = []
    page.on("dialog", lambda dlg: dlg.accept() if answers.pop(0) else dlg.dismiss())
    sign_in(world.admin_token, f"#/dashboards/{d['id']}/edit")
    page.wait_for_selector("#edit-bar")
    page.locator('.widget[data-widget-id="rev"] .edit-widget').click()
    page.locator("#widget-form input[name=title]").fill("Revenue (edited)")
    page.locator("#widget-form select[name=metric]").select_option(world.purchases_id)
    page.locator("#widget-form").get_by_role("button", name="Apply").click()
    # The editor redraws the widget after Apply: wait for it rather than read a stale title.
    expect(page.locator('.widget[data-widget-id="rev"] .widget-title')).to_have_text("Revenue (edited)")
    expect(page.locator('.widget[data-widget-id="rev"] .widget-body')).to_contain_text("Save to see")

    # Leaving with unsaved edits asks first; saying no keeps the editor and the edit.
    answers.append(False)
    page.click("#nav a[href='#/dashboards']")
    page.wait_for_timeout(200)
    assert page.url.endswith(f"#/dashboards/{d['id']}/edit")
    expect(page.locator('.widget[data-widget-id="rev"] .widget-title')).to_have_text("Revenue (edited)")

    page.locator('.widget[data-widget-id="rev"] .remove-widget').click()
    assert page.locator(".grid-stack-item").count() == 0
    answers.append(True)
    page.click("#discard")
    page.wait_for_selector('.widget[data-widget-id="rev"] .metric-value')
    expect(page.locator('.widget[data-widget-id="rev"] .widget-title')).to_have_text("Revenue")

    page.locator('.widget[data-widget-id="rev"] .remove-widget').click()
    page.click("#save")
    page.wait_for_selector("#dashboard-status .notice.success")
    assert ok(base_url, "GET", f"/v1/dashboards/{d['id']}", world.admin_token).get("widgets", []) == []
    answers.append(True)  # no edit left: leaving asks nothing (an unexpected prompt would be accepted)
    page.click("#nav a[href='#/dashboards']")
    page.wait_for_selector("#dashboard-list")
    assert answers == [True]
