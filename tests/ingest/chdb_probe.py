"""Read a stopped ingest process's chDB from a fresh process (chDB allows one path per process).

`python -m tests.ingest.chdb_probe <chdb dir> <tenant id>` prints JSON:
{"rows": physical row count, "event_ids": the distinct event ids}.
"""
from __future__ import annotations

import json
import subprocess
import sys


def read(chdb_dir: str, tenant_id: str) -> dict:
    """Run the probe in a child process and return its answer."""
    out = subprocess.run([sys.executable, "-m", "tests.ingest.chdb_probe", chdb_dir, tenant_id], check=True,
                         capture_output=True, text=True, timeout=120).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(chdb_dir: str, tenant_id: str) -> None:
    from libs.clickhouse import make_client

    client = make_client(f"chdb://{chdb_dir}")
    rows = int(client.command("SELECT count() FROM events WHERE tenant_id = {t:String}", parameters={"t": tenant_id}))
    ids = [r[0] for r in client.query("SELECT DISTINCT event_id FROM events WHERE tenant_id = {t:String}",
                                      parameters={"t": tenant_id}).result_rows]
    print(json.dumps({"rows": rows, "event_ids": sorted(ids)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
