"""docker-compose.yml cannot be started here, so it is checked against the code: every service,
command, image, port and environment variable it names must exist and agree."""
from __future__ import annotations

import pathlib
import re
import shlex
from urllib.parse import urlparse

import pytest
import yaml

from libs.cli import build_parser
from libs.config import ENV_VARS, SERVICE_NAMES, Settings
from libs.host.server import resolve_services

ROOT = pathlib.Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP = {name: svc for name, svc in SERVICES.items() if svc.get("build")}


def _env(svc: dict) -> dict[str, str]:
    return {k: str(v) for k, v in (svc.get("environment") or {}).items()}


def test_every_service_of_the_code_has_its_own_container() -> None:
    for name in [*SERVICE_NAMES, "gateway"]:
        assert name in SERVICES, f"docker-compose.yml has no {name} service"
        argv = SERVICES[name]["command"]
        ns = build_parser().parse_args(argv)
        assert ns.command == "serve" and [p.name for p in resolve_services(ns.services)] == [name]


def test_every_app_container_runs_a_real_cli_command_from_the_one_image() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    entrypoint = re.search(r'^ENTRYPOINT \["([^"]+)"\]', dockerfile, re.M)
    assert entrypoint and entrypoint.group(1) == "partneros"
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^partneros = "libs.cli:main"$', pyproject, re.M)
    images = {svc.get("image") for svc in APP.values()}
    assert len(images) == 1 and all(svc["build"] == "." for svc in APP.values())
    for name, svc in APP.items():
        build_parser().parse_args(svc["command"])  # exits (fails the test) on an unknown command or flag
    for line in re.findall(r"^COPY (?!--from)(.+)$", dockerfile, re.M):
        for path in line.split()[:-1]:
            assert (ROOT / path).exists(), f"Dockerfile copies missing {path}"
    # The UI's vendored libraries are not in git: the image must build them.
    assert "build.sh" in dockerfile and "COPY --from=ui" in dockerfile


def test_environment_variables_are_ones_the_code_reads_and_parse() -> None:
    code = "\n".join(p.read_text() for p in [*ROOT.glob("libs/**/*.py"), *ROOT.glob("services/**/*.py")])
    for name, svc in APP.items():
        env = _env(svc)
        for var in env:
            assert var in ENV_VARS, f"{name}: {var} is not read by the code"
        settings = Settings.from_env(env=env)
        assert settings.grpc_host == "0.0.0.0"
    for var in ENV_VARS - {"PARTNEROS_LOG_LEVEL"}:
        assert var.removeprefix("PARTNEROS_").removesuffix("_ADDR") in code.upper() or var in code


def test_peer_addresses_point_at_containers_on_their_serving_port() -> None:
    for name, svc in APP.items():
        env = _env(svc)
        settings = Settings.from_env(env=env)
        for peer, address in settings.service_addresses.items():
            host, port = urlparse(address).path.lstrip("/").rsplit(":", 1)
            assert host == peer and host in SERVICES, f"{name}: {peer} address {address}"
            assert int(port) == Settings.from_env(env=_env(SERVICES[peer])).grpc_port


def test_stores_point_at_the_clickhouse_and_postgres_containers() -> None:
    pg = _env(SERVICES["postgres"])
    assert SERVICES["postgres"]["image"].startswith("postgres:")
    assert SERVICES["clickhouse"]["image"].startswith("clickhouse/clickhouse-server:")
    for name, svc in APP.items():
        settings = Settings.from_env(env=_env(svc))
        ch = urlparse(settings.clickhouse_dsn)
        assert ch.scheme == "http" and ch.hostname == "clickhouse" and ch.port == 8123
        assert ch.password == _env(SERVICES["clickhouse"])["CLICKHOUSE_PASSWORD"]
        db = urlparse(settings.database_url)
        assert db.hostname == "postgres" and db.port == 5432
        assert (db.username, db.password, db.path.lstrip("/")) == (
            pg["POSTGRES_USER"], pg["POSTGRES_PASSWORD"], pg["POSTGRES_DB"])


def test_gateway_publishes_the_port_it_listens_on() -> None:
    gateway = SERVICES["gateway"]
    settings = Settings.from_env(env=_env(gateway))
    published = {int(p.split(":")[1]) for p in gateway["ports"]}
    assert published == {settings.http_port} and settings.http_host == "0.0.0.0"


@pytest.mark.parametrize("name", sorted(APP))
def test_app_containers_wait_for_migrations(name: str) -> None:
    if name == "migrate":
        assert SERVICES[name]["command"] == ["migrate"]
        return
    assert SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "--no-migrate" in SERVICES[name]["command"]
    assert shlex.join(SERVICES[name]["command"]).startswith("serve ")
