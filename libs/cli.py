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


def _admin(fn):  # noqa: ANN001, ANN202
    """Run an admin command against the migrated store; a refused input exits 2 with the reason."""
    def run(ns: argparse.Namespace) -> None:
        from libs.errors import ApiError
        from libs.store import make_engine

        settings = _settings(ns)
        _migrate(settings)
        try:
            fn(make_engine(settings.database_url), ns)
        except ApiError as err:
            print(f"partneros: {err.message} ({err.reason})", file=sys.stderr)
            raise SystemExit(2) from err

    return run


@_admin
def cmd_create_tenant(engine, ns: argparse.Namespace) -> None:  # noqa: ANN001
    from services.directory.bootstrap import create_tenant

    result = create_tenant(engine, name=ns.name, admin_email=ns.admin_email, time_zone=ns.time_zone,
                           week_start=ns.week_start)
    print(f"tenant_id={result.tenant_id}\noperator_id={result.operator_id}\ntoken={result.token}")


@_admin
def cmd_create_token(engine, ns: argparse.Namespace) -> None:  # noqa: ANN001
    from services.directory.bootstrap import create_token

    issued = create_token(engine, tenant_id=ns.tenant_id, email=ns.email, display_name=ns.display_name)
    print(f"{issued.subject_kind}_id={issued.subject_id}\ntoken_id={issued.token_id}\ntoken={issued.token}")


@_admin
def cmd_list_tenants(engine, ns: argparse.Namespace) -> None:  # noqa: ANN001
    from services.directory.bootstrap import list_tenants

    for tenant_id, name, time_zone in list_tenants(engine):
        print(f"{tenant_id}\t{time_zone}\t{_printable(name)}")


def _printable(text: str) -> str:
    """`text` with control characters (those the directory refuses in ids) written as escapes: stored
    text never drives the terminal."""
    from services.directory.validate import CONTROL

    return CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


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
    ct.add_argument("--time-zone", default="UTC", help="IANA time zone of windows and buckets")
    ct.add_argument("--week-start", type=int, default=1, help="first day of the week, 1 = Monday ... 7 = Sunday")
    ct.set_defaults(func=cmd_create_tenant)
    tok = admin.add_parser("create-token", help="print a new personal token for an operator or partner user")
    tok.add_argument("--tenant-id", required=True)
    tok.add_argument("--email", required=True, help="email of the operator (or partner user)")
    tok.add_argument("--display-name", default="cli", help="label shown when listing tokens")
    tok.set_defaults(func=cmd_create_token)
    lt = admin.add_parser("list-tenants", help="print every tenant: id, time zone, name")
    lt.set_defaults(func=cmd_list_tenants)

    return parser


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=os.environ.get("PARTNEROS_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ns = build_parser().parse_args(argv)
    ns.func(ns)


if __name__ == "__main__":
    sys.exit(main())
