"""The all-in-one embedded system: every service in one process on chDB + SQLite."""
from __future__ import annotations

import logging

from libs.config import Settings

__all__ = ["run_embedded", "start_embedded"]

log = logging.getLogger(__name__)


def start_embedded(settings: Settings, *, demo: bool = False):  # noqa: ANN201 - (Host, token | None)
    """Migrate, start every service (gateway included), and load the demo on first start.

    Returns the host and the demo admin token (None without the demo)."""
    from libs.host import create_server
    from libs.store import make_engine, migrate

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate(make_engine(settings.database_url))
    host = create_server(f"{settings.grpc_host}:{settings.grpc_port}", services="all", settings=settings)
    token = None
    if demo:
        from libs.demo import ensure_demo

        token = ensure_demo(host)
    return host, token


def run_embedded(settings: Settings, *, demo: bool = False) -> None:
    from services.gateway.plugin import http_url

    host, token = start_embedded(settings, demo=demo)
    url = http_url(host.context)
    lines = [
        "PartnerOS Metrics is running (embedded: chDB + SQLite in " f"{settings.data_dir})",
        f"  web UI and HTTP API: {url}/   (API docs: {url}/docs)",
        f"  gRPC:                {host.address}",
    ]
    if token:
        lines += [f"  demo admin token:    {token}", f"  open as the demo admin: {url}/#token={token}"]
    print("\n".join(lines), flush=True)
    host.wait_for_termination()
