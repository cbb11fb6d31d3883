"""The README's run command: `partneros up --demo` starts everything and shows real dashboards."""
from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys
import time
import urllib.request

_URL = re.compile(r"open as the demo admin: (http://[^/]+)/#token=(\S+)")


def _post(url: str, token: str, body: dict) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


def _get(url: str, token: str) -> dict:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


def test_up_with_demo_serves_a_populated_dashboard(tmp_path: pathlib.Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNEROS_")}
    env.update(PARTNEROS_GRPC_PORT="0", PARTNEROS_HTTP_PORT="0", PARTNEROS_LOG_LEVEL="WARNING")
    proc = subprocess.Popen([sys.executable, "-m", "libs.cli", "up", "--demo", "--data-dir", str(tmp_path)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 180
        match = None
        assert proc.stdout is not None
        while match is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            match = _URL.search(line)
        assert match, "no sign-in link printed:\n" + "".join(seen)
        base, token = match.group(1), match.group(2)
        with urllib.request.urlopen(f"{base}/", timeout=30) as resp:
            assert resp.status == 200 and b"<html" in resp.read().lower()
        dashboards = _get(f"{base}/v1/dashboards", token)["dashboards"]
        assert dashboards, "the demo has no dashboard"
        kinds = {w["type"] for d in dashboards for w in d.get("widgets", [])}
        assert {"metric", "timeseries", "event_list"} <= kinds
        rendered = _post(f"{base}/v1/dashboards/{dashboards[0]['id']}:render", token, {})
        widgets = rendered["widgets"]
        assert widgets and not [w for w in widgets if w.get("errorCode")], widgets
        by_type = {w["type"]: w["data"] for w in widgets}
        assert by_type["metric"]["value"] > 0, by_type["metric"]
        assert by_type["event_list"]["events"], "the demo event list is empty"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
