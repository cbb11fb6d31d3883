"""Directory test fixtures: a host serving only the directory on SQLite or PostgreSQL."""
from __future__ import annotations

import pathlib
from collections.abc import Iterator
from dataclasses import dataclass

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from partneros.directory.v1 import directory_pb2_grpc

from tests.conftest import bearer, make_settings, running_host


@pytest.fixture
def directory_host(tmp_path: pathlib.Path, clickhouse_dsn: str, database_url: str):  # noqa: ANN201
    """The directory alone (it never opens ClickHouse) on the parametrised SQL store."""
    with running_host(make_settings(tmp_path, clickhouse_dsn, database_url), "directory", grace=0.5) as host:
        yield host
    host.context.engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: pathlib.Path) -> str:
    return f"sqlite:///{tmp_path / 'store.sqlite3'}"


@dataclass
class Api:
    """A stub and the tenant it acts in, with one admin token."""

    stub: directory_pb2_grpc.DirectoryServiceStub
    engine: object
    tenant_id: str
    admin_token: str

    @property
    def admin(self) -> tuple[tuple[str, str], ...]:
        return bearer(self.admin_token)


@pytest.fixture
def api(directory_host) -> Iterator[Api]:  # noqa: ANN001
    from services.directory.bootstrap import create_tenant

    result = create_tenant(directory_host.context.engine, name="Acme Partners", admin_email="admin@acme.example")
    with grpc.insecure_channel(directory_host.address) as channel:
        yield Api(directory_pb2_grpc.DirectoryServiceStub(channel), directory_host.context.engine,
                  result.tenant_id, result.token)


def error_of(err: grpc.RpcError) -> tuple[grpc.StatusCode, str, dict[str, str]]:
    """(code, ErrorInfo reason, ErrorInfo metadata) of a failed call."""
    status = rpc_status.from_call(err)
    assert status is not None, f"no google.rpc.Status on {err!r}"
    infos = []
    for detail in status.details:
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info):
            infos.append(info)
    assert len(infos) == 1, status
    return err.code(), infos[0].reason, dict(infos[0].metadata)


def fails(call, *args, **kwargs) -> tuple[grpc.StatusCode, str, dict[str, str]]:  # noqa: ANN001
    """Run a call that must fail; return its code, reason and metadata."""
    with pytest.raises(grpc.RpcError) as caught:
        call(*args, **kwargs)
    return error_of(caught.value)
