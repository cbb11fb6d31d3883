"""Ingest fixtures: a world (three-level partner tree, a customer per partner) and its keys."""
from __future__ import annotations

import pytest

from tests.factories import World, machine_key


@pytest.fixture
def world(host) -> World:  # noqa: ANN001
    return World.build(host.context.engine)


@pytest.fixture
def key(host, world) -> str:  # noqa: ANN001
    """An unbound machine key of the world's tenant (reaches every customer)."""
    return machine_key(host.context.engine, world.tenant_id)[1]
