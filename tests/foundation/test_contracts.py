"""The protos are the one source of truth: generated code is fresh, every RPC is annotated, lint passes."""
from __future__ import annotations

import filecmp
import pathlib
import shutil
import subprocess
import sys

import pytest
from google.api import annotations_pb2

from libs.auth import ALL_PERMISSIONS
from libs.interceptor import method_permissions
from libs.plugins import SERVICES, load_plugins

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _all_service_descriptors():
    return [d for plugin in load_plugins(SERVICES).values() for d in plugin.descriptors()]


def test_generated_stubs_are_up_to_date(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "gen"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_protos.py"), "--out", str(out)], check=True)
    committed = ROOT / "libs" / "gen"
    fresh = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    existing = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert fresh == existing, "libs/gen is stale: run `make gen`"
    _, mismatch, errors = filecmp.cmpfiles(out, committed, [str(p) for p in fresh], shallow=False)
    assert not mismatch and not errors, f"libs/gen is stale ({mismatch or errors}): run `make gen`"


def test_every_rpc_has_an_http_rule_and_a_known_permission() -> None:
    descriptors = _all_service_descriptors()
    assert {d.full_name for d in descriptors} >= {
        "partneros.directory.v1.DirectoryService", "partneros.ingest.v1.IngestService",
        "partneros.metrics.v1.MetricsService", "partneros.dashboards.v1.DashboardsService"}
    permissions = method_permissions(descriptors)
    for service in descriptors:
        for method in service.methods:
            name = f"/{service.full_name}/{method.name}"
            rule = method.GetOptions().Extensions[annotations_pb2.http]
            assert rule.WhichOneof("pattern"), f"{name} has no google.api.http rule"
            assert permissions.get(name) in ALL_PERMISSIONS, f"{name} declares unknown permission {permissions.get(name)!r}"


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is needed to install buf")
def test_buf_lint_passes() -> None:
    result = subprocess.run([str(ROOT / "scripts" / "buf-lint")], cwd=ROOT, capture_output=True, text=True,
                            env={"PY": sys.executable, "PATH": __import__("os").environ["PATH"]}, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
