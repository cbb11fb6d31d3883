"""The all-in-one embedded system: every service in one process on chDB + SQLite."""
from __future__ import annotations

import logging

from libs.config import Settings

__all__ = ["run_embedded", "start_embedded"]

log = logging.getLogger(__name__)


def start_embedded(settings: Settings, *, demo: bool = False):  # noqa: ANN201 - Host
    """Migrate, start the gRPC host with every service, and load the demo on first start."""
    from libs.host import create_server
    from libs.store import make_engine, migrate

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate(make_engine(settings.database_url))
    host = create_server(f"{settings.grpc_host}:{settings.grpc_port}", services="all", settings=settings)
    if demo:
        from libs.demo import ensure_demo

        ensure_demo(host)
    return host


def run_embedded(settings: Settings, *, demo: bool = False) -> None:
    host = start_embedded(settings, demo=demo)
    print(f"PartnerOS Metrics is running: gRPC on {host.address} (data in {settings.data_dir})", flush=True)
    host.wait_for_termination()
