"""Connect a partner's system: a machine key whose secret is shown once with a working example
request, revocation, and the quarantine replayed once the customer exists. Then in-app
recording by a partner user, for a customer of their slice only."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from tests import factories
from tests.ui.conftest import shoot
from tests.ui.http import call, ok


def _ingest(base_url: str, secret: str, event: dict) -> tuple[int, dict]:
    return call(base_url, "POST", "/v1/events:ingest", secret, {"events": [event]})


def test_machine_key_secret_shown_once_with_a_working_example_then_revoked(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    page.on("dialog", lambda d: d.accept())
    sign_in(world.admin_token, "#/connect")
    page.fill("input[name=key-name]", "Shop sync")
    page.select_option("select[name=key-partner]", world.partners["dist_b"])
    page.click("#create-key button[type=submit]")
    secret = page.locator("#key-secret").inner_text()
    example = page.locator("#curl-example").inner_text()
    assert secret and secret in example
    assert f"{base_url}/v1/events:ingest" in example and "Authorization: Bearer" in example
    shoot(page, "connect-key-created")

    # The example's body, sent with the secret, is accepted (for a customer of the bound partner).
    body = json.loads(re.search(r"-d '(.*)'", example, re.S).group(1))
    assert set(body["events"][0]) >= {"eventId", "name", "customer", "timestamp", "properties"}
    status, r = call(base_url, "POST", "/v1/events:ingest", secret, body)
    assert status == 200 and r["results"][0]["status"] == "EVENT_STATUS_QUARANTINED"  # jane@ is no customer
    event = {"eventId": "ui-key-1", "name": "activation", "customer": {"email": world.emails["dist_b"]}}
    status, r = _ingest(base_url, secret, event)
    assert status == 200 and r["acceptedCount"] == 1

    # The secret is gone once the page is reloaded; the key is listed by its prefix.
    page.reload()
    page.wait_for_selector("#key-list tbody tr.revoked, #key-list .revoke")
    assert page.locator("#key-secret").count() == 0
    row = page.locator("#key-list tbody tr", has_text="Shop sync")
    assert row.locator(".mono").inner_text().rstrip("…") in secret
    row.get_by_role("button", name="Revoke").click()
    page.wait_for_selector("#key-status .notice.success")
    page.wait_for_selector('#key-list tbody tr.revoked:has-text("Shop sync")')
    status, _ = _ingest(base_url, secret, {**event, "eventId": "ui-key-2"})
    assert status == 401
    shoot(page, "connect-key-revoked")


def test_quarantine_is_listed_and_replayed(page, sign_in, base_url, world, ui_host) -> None:  # noqa: ANN001
    _, secret = factories.machine_key(ui_host.context.engine, world.tenant_id)
    late = f"late-{world.tenant_id}@example.com"
    status, r = _ingest(base_url, secret, {"eventId": "ui-q-1", "name": "activation", "customer": {"email": late}})
    assert status == 200 and r["quarantinedCount"] == 1
    sign_in(world.admin_token, "#/connect")
    row = page.locator("#quarantine-list tbody tr", has_text=late)
    row.wait_for()
    assert "CUSTOMER_NOT_FOUND" in row.inner_text()
    # "Replay selected" asks for a selection (an empty one would mean every pending event).
    assert page.locator("#replay-selected").is_disabled()
    row.locator("input[type=checkbox]").check()
    assert page.locator("#replay-selected").is_enabled()
    row.locator("input[type=checkbox]").uncheck()
    assert page.locator("#replay-selected").is_disabled()
    page.click("#replay-all")
    page.wait_for_selector("#quarantine-status .notice")
    assert "0 events replayed" in page.locator("#quarantine-status").inner_text()
    assert "still without a customer" in page.locator("#quarantine-status").inner_text()
    shoot(page, "connect-quarantine")

    factories.customer(ui_host.context.engine, world.tenant_id, world.partners["dist_a"], email=late)
    page.click("#replay-all")
    page.wait_for_selector("#quarantine-status .notice.success")
    assert page.locator("#quarantine-status").inner_text().startswith("1 event replayed")
    row.wait_for(state="detached")
    events = ok(base_url, "POST", "/v1/events:query", world.admin_token, {"eventNames": ["activation"]})["events"]
    assert any(e["eventId"] == "ui-q-1" for e in events)


def test_partner_user_records_an_event_for_a_customer_of_their_slice(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    sign_in(world.partner_user_token, "#/record")
    form = page.locator("#record-form")
    form.locator("input[name=event-name]").fill("demo_call")
    form.locator("input[name=customer]").fill(world.emails["sub_a1x"])
    form.locator(".pair-key").first.fill("minutes")
    form.locator(".pair-value").first.fill("15")
    form.locator("#add-pair").click()
    form.locator(".pair-key").nth(1).fill("topic")
    form.locator(".pair-value").nth(1).fill("onboarding")
    # Switching to JSON carries the pairs over, typed; bad JSON is caught as you type.
    form.locator("select[name=properties-mode]").select_option("json")
    text = form.locator("textarea[name=properties-json]")
    assert '"minutes": 15' in text.input_value() and '"topic": "onboarding"' in text.input_value()
    text.fill('{"minutes": 15, "topic": "onboarding",}')
    assert "Not valid JSON" in form.locator('[data-field="properties"] .field-msg').inner_text()
    assert form.locator("button[type=submit]").is_disabled()
    text.fill('{"minutes": 15, "topic": "onboarding"}')
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#record-status .notice.success")
    shoot(page, "record-event")
    events = ok(base_url, "POST", "/v1/events:query", world.partner_user_token, {"eventNames": ["demo_call"]})["events"]
    assert len(events) == 1 and events[0]["customerId"] == world.customers["sub_a1x"]
    assert events[0]["properties"] == {"minutes": 15, "topic": "onboarding"}

    # A customer of a sibling partner is out of reach: the refusal is shown, nothing is recorded.
    form.locator("input[name=event-name]").fill("demo_call")
    form.locator("input[name=customer]").fill(world.emails["res_a2"])
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#record-status .notice.error")
    # the refusal also stands beside the field it is about
    assert "no such customer" in form.locator('[data-field="customer"] .field-msg').inner_text()
    shoot(page, "record-event-refused")
    events = ok(base_url, "POST", "/v1/events:query", world.admin_token, {"eventNames": ["demo_call"]})["events"]
    assert len(events) == 1


def test_the_time_of_a_recorded_event_is_read_in_the_tenant_zone(browser, base_url, world) -> None:  # noqa: ANN001
    """Charts and windows are in the tenant's zone, so "When" is too, wherever the browser is:
    09:30 in Auckland (UTC+13 in November) is 20:30 UTC the day before, from a New York browser."""
    token = world.admin_token
    ok(base_url, "PATCH", "/v1/tenant?updateMask=timeZone", token, {"timeZone": "Pacific/Auckland"})
    context = browser.new_context(base_url=base_url, timezone_id="America/New_York")
    try:
        page = context.new_page()
        page.goto(f"{base_url}/#token={token}")
        page.wait_for_selector("#sign-out")
        page.goto(f"{base_url}/#/record")
        form = page.locator("#record-form")
        assert "Pacific/Auckland" in form.locator('[data-field="timestamp"] .field-label').inner_text()
        form.locator("input[name=event-name]").fill("zone_call")
        form.locator("input[name=customer]").fill(world.emails["dist_b"])
        form.locator("input[name=timestamp]").fill("2026-11-20T09:30")
        form.locator("button[type=submit]").click()
        page.wait_for_selector("#record-status .notice.success")
    finally:
        context.close()
        ok(base_url, "PATCH", "/v1/tenant?updateMask=timeZone", token, {"timeZone": "UTC"})
    events = ok(base_url, "POST", "/v1/events:query", token, {"eventNames": ["zone_call"]})["events"]
    assert [e["timestamp"] for e in events] == ["2026-11-19T20:30:00Z"]


@pytest.mark.parametrize(("zone", "local"), [
    ("America/New_York", "2026-03-08T02:30"),  # skipped: clocks go 02:00 -> 03:00
    ("America/New_York", "2026-11-01T01:30"),  # happens twice
    ("America/Santiago", "2026-09-06T00:30"),  # skipped at midnight
    ("Europe/Berlin", "2026-03-29T02:30"),
    ("Europe/Berlin", "2026-10-25T02:30"),
    ("Australia/Lord_Howe", "2026-10-04T02:15"),  # a 30-minute skip
    ("Pacific/Auckland", "2026-11-20T09:30"),
    ("Asia/Kolkata", "2026-07-01T23:59:59"),
])
def test_the_browser_finds_every_instant_a_local_time_stands_for(page, sign_in, world, zone: str, local: str) -> None:  # noqa: ANN001
    """As Python's zoneinfo says: none where the clocks skip the time, two where they repeat it."""
    from zoneinfo import ZoneInfo

    naive = dt.datetime.fromisoformat(local)
    want = sorted({t.astimezone(dt.timezone.utc) for fold in (0, 1)
                   for t in [naive.replace(tzinfo=ZoneInfo(zone), fold=fold)]
                   if t.astimezone(dt.timezone.utc).astimezone(ZoneInfo(zone)).replace(tzinfo=None) == naive})
    sign_in(world.admin_token)
    got = page.evaluate("async ([l, z]) => (await import('./js/windows.js')).instantsOfLocalTime(l, z)", [local, zone])
    assert got == [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in want]


def test_record_refuses_a_skipped_time_and_says_which_of_a_repeated_one_it_took(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    token = world.admin_token
    ok(base_url, "PATCH", "/v1/tenant?updateMask=timeZone", token, {"timeZone": "America/New_York"})
    try:
        sign_in(token, "#/record")
        form = page.locator("#record-form")
        form.locator("input[name=event-name]").fill("fold_call")
        form.locator("input[name=customer]").fill(world.emails["dist_a"])
        when = form.locator("input[name=timestamp]")
        when.fill("2026-03-08T02:30")
        message = form.locator('[data-field="timestamp"] .field-msg')
        assert "does not exist in America/New_York" in message.inner_text()
        assert form.locator("button[type=submit]").is_disabled()
        when.fill("2026-11-01T01:30")
        assert "happens twice" in message.inner_text() and not form.locator("button[type=submit]").is_disabled()
        form.locator("button[type=submit]").click()
        page.wait_for_selector("#record-status .notice.success")
        assert "EDT" in page.inner_text("#record-status")  # the first 01:30, before the clocks go back
        form.locator("input[name=event-name]").fill("fold_call")
        form.locator("button[type=submit]").click()  # the same event again
        page.wait_for_selector("#record-status .notice.success:has-text('Already recorded')")
    finally:
        ok(base_url, "PATCH", "/v1/tenant?updateMask=timeZone", token, {"timeZone": "UTC"})
    events = ok(base_url, "POST", "/v1/events:query", token, {"eventNames": ["fold_call"]})["events"]
    assert [e["timestamp"] for e in events] == ["2026-11-01T05:30:00Z"]


def test_a_session_whose_token_is_revoked_ends_with_a_word_why(page, sign_in, base_url, world, ui_host) -> None:  # noqa: ANN001
    user_id, token = factories.partner_user(ui_host.context.engine, world.tenant_id, world.partners["res_a1"])
    sign_in(token, "#/record")
    page.wait_for_selector("#record-form")
    tokens = ok(base_url, "GET", f"/v1/personalTokens?subjectId={user_id}", world.admin_token)["personalTokens"]
    assert len(tokens) == 1
    ok(base_url, "POST", f"/v1/personalTokens/{tokens[0]['id']}:revoke", world.admin_token, {})
    page.evaluate("location.hash = '#/dashboards'")
    page.wait_for_selector("#signin-form")
    assert "Your session ended" in page.locator("#signin-form").inner_text()
    assert page.locator("#sign-out").count() == 0


def test_saving_a_metric_keeps_a_format_the_form_did_not_list_before(page, sign_in, base_url, world) -> None:  # noqa: ANN001
    metric = ok(base_url, "POST", "/v1/metrics", world.admin_token, {
        "name": "Whole activations", "aggregation": "count", "eventNames": ["activation"], "format": "integer"})
    sign_in(world.admin_token, f"#/metrics/{metric['id']}")
    form = page.locator("#metric-form")
    assert form.locator("select[name=format]").input_value() == "integer"
    form.locator("textarea[name=description]").fill("Counted as whole numbers")
    page.click("#save-metric")
    page.wait_for_selector("#metric-status .notice.success")
    saved = ok(base_url, "GET", f"/v1/metrics/{metric['id']}", world.admin_token)
    assert (saved["format"], saved["description"]) == ("integer", "Counted as whole numbers")


def test_every_form_control_has_a_name_a_screen_reader_can_say(page, sign_in, world) -> None:  # noqa: ANN001
    for hash_, selectors in (("#/connect", ["input[name=key-name]", "select[name=key-partner]"]),
                             ("#/record", ["input[name=customer]"]), ("#/dashboards", ["input[name=new-dashboard]"])):
        sign_in(world.admin_token, hash_)
        for selector in selectors:
            control = page.locator(selector)
            control.wait_for()
            assert control.evaluate("e => e.labels?.length > 0 || Boolean(e.getAttribute('aria-label'))"), selector
