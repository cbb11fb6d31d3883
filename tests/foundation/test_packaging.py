"""The installed package (what the container image gets) carries every runtime file, not just .py."""
from __future__ import annotations

import pathlib
import subprocess
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_wheel_contains_migrations_descriptors_templates_and_the_ui(tmp_path: pathlib.Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "partneros/descriptors.binpb",
        "libs/store/alembic/env.py",
        "libs/store/alembic/script.py.mako",
        "libs/identity/migrations/0001_identity.py",
        "services/gateway/static/index.html",
        "services/gateway/static/js/main.js",
    }
    for service in ("ingest", "metrics", "dashboards"):
        expected |= {str(p.relative_to(ROOT)) for p in (ROOT / "services" / service / "migrations").glob("*.py")}
    missing = sorted(expected - names)
    assert not missing, f"the installed package would lack {missing}"
