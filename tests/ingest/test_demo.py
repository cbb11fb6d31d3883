"""The demo events: six months for the directory demo's customers, quick and deterministic."""
from __future__ import annotations

import json
import time

import grpc

from services.directory import demo as directory_demo
from services.directory.bootstrap import create_tenant
from services.ingest import demo
from tests.conftest import bearer


def test_demo_loads_six_months_of_events_quickly_and_a_second_run_stores_nothing_new(host) -> None:
    admin = create_tenant(host.context.engine, name="Demo Program", admin_email="admin@demo.partneros.dev")
    state: dict = {"tenant_id": admin.tenant_id}
    with grpc.insecure_channel(host.address) as channel:
        directory_demo.seed(channel, bearer(admin.token), state)
        started = time.monotonic()
        demo.seed(channel, bearer(admin.token), state)
        elapsed = time.monotonic() - started
        loaded = state["ingest"]
        assert elapsed < 20, f"demo events took {elapsed:.1f} s"
        assert 20_000 <= loaded["accepted"] <= 50_000
        assert (loaded["quarantined"], loaded["rejected"], loaded["duplicate"]) == (3, 0, 0)

        demo.seed(channel, bearer(admin.token), state)  # deterministic ids: nothing is stored twice
        assert state["ingest"]["accepted"] == 0 and state["ingest"]["duplicate"] == loaded["accepted"]

    with host.context.clickhouse.client() as client:
        rows = client.query("SELECT name, count(), uniqExact(customer_id), min(ts), max(ts), any(properties), "
                            "countIf(source = 'app') FROM events WHERE tenant_id = {t:String} GROUP BY name",
                            parameters={"t": admin.tenant_id}).result_rows
    by_name = {r[0]: r for r in rows}
    assert {"signup", "activation", "usage", "purchase", "call_logged"} <= set(by_name)
    assert sum(r[1] for r in rows) == loaded["accepted"] + 5
    assert by_name["signup"][2] == len(state["customers"])
    assert (by_name["usage"][4] - by_name["usage"][3]).days >= 120
    assert {"amount", "seats", "plan", "country"} <= set(json.loads(by_name["purchase"][5]))
    assert by_name["call_logged"][6] == 5 and by_name["usage"][6] == 0
