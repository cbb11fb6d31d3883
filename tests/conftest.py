"""Shared fixtures: one chDB path per test session (chDB allows one per process), throwaway SQL
stores (SQLite by default, PostgreSQL for tests marked or parametrised so), hosts on port 0."""
from __future__ import annotations

import os
import pathlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import grpc
import pytest
from sqlalchemy import create_engine, text

from libs.config import Settings

POSTGRES_ADMIN_URL = os.environ.get("PARTNEROS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def clickhouse_dsn(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"chdb://{tmp_path_factory.mktemp('clickhouse')}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database, dropped at the end of the session."""
    name = f"partneros_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"PostgreSQL at {POSTGRES_ADMIN_URL} is required for this test: {exc}")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def make_settings(tmp_path: pathlib.Path, clickhouse_dsn: str, database_url: str | None = None) -> Settings:
    return Settings.from_env(
        env={},
        data_dir=tmp_path,
        clickhouse_dsn=clickhouse_dsn,
        database_url=database_url or f"sqlite:///{tmp_path / 'store.sqlite3'}",
        grpc_port=0,
        http_port=0,  # "all" includes the HTTP gateway: a free port, never a fixed one
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> str:
    """Each test using it runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def settings(tmp_path: pathlib.Path, clickhouse_dsn: str) -> Settings:
    return make_settings(tmp_path, clickhouse_dsn)


@contextmanager
def running_host(settings: Settings, services: str = "all", *, grace: float = 1):  # noqa: ANN201
    """`services` in one server on a free loopback port, SQL store migrated; stopped on exit."""
    from libs.host import create_server
    from libs.store import make_engine, migrate

    migrate(make_engine(settings.database_url))
    h = create_server("127.0.0.1:0", services=services, settings=settings)
    try:
        yield h
    finally:
        h.stop(grace=grace)


@pytest.fixture
def host(settings: Settings):  # noqa: ANN201
    """Every service in one server on a free loopback port, SQL store migrated."""
    with running_host(settings) as h:
        yield h


@pytest.fixture
def channel(host) -> Iterator[grpc.Channel]:  # noqa: ANN001
    with grpc.insecure_channel(host.address) as ch:
        yield ch


@pytest.fixture
def tenant(host):  # noqa: ANN001, ANN201
    """A fresh tenant with an admin token (unique per test, so tests share one chDB safely)."""
    from services.directory.bootstrap import create_tenant

    return create_tenant(host.context.engine, name="Test Program", admin_email="admin@example.com")


def bearer(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)
