"""`partneros admin ...` run as a real subprocess prints tokens that work against a host on the same store."""
from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import grpc
import pytest
from partneros.directory.v1 import directory_pb2 as pb
from partneros.directory.v1 import directory_pb2_grpc

from tests.conftest import bearer, make_settings

_CLI = [str(pathlib.Path(sys.executable).parent / "partneros")]


def _run(data_dir: pathlib.Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PARTNEROS_DATA_DIR": str(data_dir),
           "PARTNEROS_CLICKHOUSE_DSN": f"chdb://{data_dir / 'clickhouse'}"}  # its own path, never ours
    env.pop("PARTNEROS_DATABASE_URL", None)
    return subprocess.run([*_CLI, *args], env=env, capture_output=True, text=True, timeout=60, check=False)


def _fields(stdout: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in stdout.strip().splitlines())


@pytest.fixture
def data_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path / "data"


def test_create_tenant_prints_a_working_admin_token(data_dir: pathlib.Path, clickhouse_dsn: str) -> None:
    from libs.host import create_server

    done = _run(data_dir, "admin", "create-tenant", "--name", "Globex Partners", "--admin-email", "Boss@Globex.example",
                "--time-zone", "Europe/Berlin")
    assert done.returncode == 0, done.stderr
    out = _fields(done.stdout)
    assert set(out) == {"tenant_id", "operator_id", "token"}

    again = _run(data_dir, "admin", "create-token", "--tenant-id", out["tenant_id"], "--email", "boss@globex.example")
    assert again.returncode == 0, again.stderr
    second = _fields(again.stdout)
    assert second["operator_id"] == out["operator_id"] and second["token"] != out["token"]

    # The directory never opens ClickHouse, so the session's chDB path is named but untouched.
    host = create_server("127.0.0.1:0", services="directory",
                         settings=make_settings(data_dir, clickhouse_dsn, f"sqlite:///{data_dir / 'partneros.sqlite3'}"))
    try:
        with grpc.insecure_channel(host.address) as channel:
            stub = directory_pb2_grpc.DirectoryServiceStub(channel)
            for token in (out["token"], second["token"]):
                me = stub.GetCallerIdentity(pb.GetCallerIdentityRequest(), metadata=bearer(token))
                assert (me.tenant_id, me.principal_id, me.role) == (out["tenant_id"], out["operator_id"],
                                                                    pb.OPERATOR_ROLE_ADMIN)
            tenant = stub.GetTenant(pb.GetTenantRequest(), metadata=bearer(out["token"]))
            assert (tenant.name, tenant.time_zone) == ("Globex Partners", "Europe/Berlin")
    finally:
        host.stop(grace=0.5)


def test_admin_commands_refuse_bad_input_with_the_reason(data_dir: pathlib.Path) -> None:
    done = _run(data_dir, "admin", "create-tenant", "--name", "X", "--admin-email", "x@x.example",
                "--time-zone", "Atlantis/Capital")
    assert done.returncode == 2 and "INVALID_TIME_ZONE" in done.stderr and "token=" not in done.stdout
    listed = _run(data_dir, "admin", "list-tenants")
    assert listed.returncode == 0 and listed.stdout == ""
    done = _run(data_dir, "admin", "create-token", "--tenant-id", "ten_nope", "--email", "a@b.example")
    assert done.returncode == 2 and "TENANT_NOT_FOUND" in done.stderr
