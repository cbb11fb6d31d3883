"""`partneros` command line: serve services, run the embedded system, bootstrap tenants."""
from __future__ import annotations

import argparse
import logging
import os
import sys

from libs.config import Settings

__all__ = ["main", "build_parser"]


def _settings(ns: argparse.Namespace) -> Settings:
    overrides = {"data_dir": ns.data_dir} if getattr(ns, "data_dir", None) else {}
    return Settings.from_env(**overrides)


def _migrate(settings: Settings) -> None:
    from libs.store import make_engine, migrate

    migrate(make_engine(settings.database_url))


def cmd_serve(ns: argparse.Namespace) -> None:
    from libs.host import create_server

    settings = _settings(ns)
    if not ns.no_migrate:
        _migrate(settings)
    address = ns.address or f"{settings.grpc_host}:{settings.grpc_port}"
    host = create_server(address, services=ns.services, settings=settings)
    print(f"partneros: serving {[p.name for p in host.plugins]} on {host.address}", flush=True)
    host.wait_for_termination()


def cmd_migrate(ns: argparse.Namespace) -> None:
    _migrate(_settings(ns))
    print("partneros: SQL store is up to date")


def cmd_create_tenant(ns: argparse.Namespace) -> None:
    from libs.store import make_engine
    from services.directory.bootstrap import create_tenant

    settings = _settings(ns)
    _migrate(settings)
    result = create_tenant(make_engine(settings.database_url), name=ns.name, admin_email=ns.admin_email,
                           time_zone=ns.time_zone)
    print(f"tenant_id={result.tenant_id}\noperator_id={result.operator_id}\ntoken={result.token}")


def cmd_up(ns: argparse.Namespace) -> None:
    from libs.embedded import run_embedded

    run_embedded(_settings(ns), demo=ns.demo)


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar (also read by the docker-compose consistency test)."""
    parser = argparse.ArgumentParser(prog="partneros", description=__doc__)
    parser.add_argument("--data-dir", help="data directory of the embedded stores (PARTNEROS_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run a gRPC server hosting some services")
    serve.add_argument("--services", default="all", help="'all' or a comma list, e.g. ingest,metrics")
    serve.add_argument("--address", help="host:port to bind (default PARTNEROS_GRPC_HOST:PARTNEROS_GRPC_PORT)")
    serve.add_argument("--no-migrate", action="store_true", help="do not migrate the SQL store on start")
    serve.set_defaults(func=cmd_serve)

    up = sub.add_parser("up", help="run the whole system embedded in one process (gRPC + HTTP + UI)")
    up.add_argument("--demo", action="store_true", help="load the demo program on first start")
    up.add_argument("--data-dir", dest="data_dir", help=argparse.SUPPRESS)
    up.set_defaults(func=cmd_up)

    mig = sub.add_parser("migrate", help="create or upgrade the SQL store's tables")
    mig.set_defaults(func=cmd_migrate)

    admin = sub.add_parser("admin", help="local administration").add_subparsers(dest="admin_command", required=True)
    ct = admin.add_parser("create-tenant", help="create a tenant and print its first admin token")
    ct.add_argument("--name", required=True)
    ct.add_argument("--admin-email", required=True)
    ct.add_argument("--time-zone", default="UTC")
    ct.set_defaults(func=cmd_create_tenant)

    return parser


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=os.environ.get("PARTNEROS_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ns = build_parser().parse_args(argv)
    ns.func(ns)


if __name__ == "__main__":
    sys.exit(main())
