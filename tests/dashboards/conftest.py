"""Fixtures of the dashboards tests: a migrated store on each database, gRPC stubs, a world."""
from __future__ import annotations


import pytest
from partneros.dashboards.v1 import dashboards_pb2 as pb
from partneros.dashboards.v1 import dashboards_pb2_grpc
from sqlalchemy import Engine

from tests.factories import World


@pytest.fixture
def store_engine(database_url: str) -> Engine:
    """A migrated SQL store on SQLite, then on PostgreSQL."""
    from libs.store import make_engine, migrate

    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def stub(channel) -> dashboards_pb2_grpc.DashboardsServiceStub:  # noqa: ANN001
    return dashboards_pb2_grpc.DashboardsServiceStub(channel)


@pytest.fixture
def world(host) -> World:  # noqa: ANN001
    return World.build(host.context.engine)


def pos(x: int, y: int, w: int = 4, h: int = 2) -> pb.GridPosition:
    return pb.GridPosition(x=x, y=y, w=w, h=h)


def event_list(widget_id: str = "", *, x: int = 0, y: int = 0, w: int = 4, h: int = 2, title: str = "Recent",
               **fields: object) -> pb.Widget:
    return pb.Widget(id=widget_id, type="event_list", title=title, position=pos(x, y, w, h), **fields)


def metric_widget(metric_id: str, widget_id: str = "", *, kind: str = "metric", x: int = 0, y: int = 0, w: int = 4,
                  h: int = 2, title: str = "", **fields: object) -> pb.Widget:
    return pb.Widget(id=widget_id, type=kind, title=title or widget_id, metric_id=metric_id,
                     position=pos(x, y, w, h), **fields)


