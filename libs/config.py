"""Settings from the environment, with embedded defaults under one data directory."""
from __future__ import annotations

import os
import pathlib
from dataclasses import dataclass, field

__all__ = ["Settings", "SERVICE_NAMES", "ENV_VARS"]

# Every service the host knows by name, with its default gRPC port.
SERVICE_NAMES = ("directory", "ingest", "metrics", "dashboards")

_DEFAULT_GRPC_PORT = 50051
# Every environment variable the system reads (PARTNEROS_LOG_LEVEL is read by the CLI).
ENV_VARS = frozenset({
    "PARTNEROS_DATA_DIR", "PARTNEROS_CLICKHOUSE_DSN", "PARTNEROS_DATABASE_URL", "PARTNEROS_GRPC_HOST",
    "PARTNEROS_GRPC_PORT", "PARTNEROS_HTTP_HOST", "PARTNEROS_HTTP_PORT", "PARTNEROS_CLICKHOUSE_POOL_SIZE",
    "PARTNEROS_LOG_LEVEL", *(f"PARTNEROS_{name.upper()}_ADDR" for name in SERVICE_NAMES),
    # the HTTP gateway's limits (services/gateway/config.py)
    "PARTNEROS_GATEWAY_MAX_BODY_BYTES", "PARTNEROS_GATEWAY_TIMEOUT_SECONDS",
    "PARTNEROS_GATEWAY_RATE_PER_SECOND", "PARTNEROS_GATEWAY_RATE_BURST",
})
_DEFAULT_HTTP_PORT = 8080


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Where the stores are and how the services reach each other."""

    data_dir: pathlib.Path
    clickhouse_dsn: str
    database_url: str
    grpc_host: str = "127.0.0.1"
    grpc_port: int = _DEFAULT_GRPC_PORT
    http_host: str = "127.0.0.1"
    http_port: int = _DEFAULT_HTTP_PORT
    # service name -> "host:port" of the gRPC server hosting it; missing means "this process".
    service_addresses: dict[str, str] = field(default_factory=dict)
    clickhouse_pool_size: int = 4

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> "Settings":
        """Read PARTNEROS_* variables; anything unset falls back to the embedded default."""
        env = dict(os.environ if env is None else env)
        data_dir = pathlib.Path(str(overrides.pop("data_dir", None) or env.get("PARTNEROS_DATA_DIR", "./data"))).resolve()
        addresses = {
            name: env[f"PARTNEROS_{name.upper()}_ADDR"]
            for name in SERVICE_NAMES
            if env.get(f"PARTNEROS_{name.upper()}_ADDR")
        }
        values: dict[str, object] = dict(
            data_dir=data_dir,
            clickhouse_dsn=env.get("PARTNEROS_CLICKHOUSE_DSN") or f"chdb://{data_dir / 'clickhouse'}",
            database_url=env.get("PARTNEROS_DATABASE_URL") or f"sqlite:///{data_dir / 'partneros.sqlite3'}",
            grpc_host=env.get("PARTNEROS_GRPC_HOST", "127.0.0.1"),
            grpc_port=int(env.get("PARTNEROS_GRPC_PORT", _DEFAULT_GRPC_PORT)),
            http_host=env.get("PARTNEROS_HTTP_HOST", "127.0.0.1"),
            http_port=int(env.get("PARTNEROS_HTTP_PORT", _DEFAULT_HTTP_PORT)),
            service_addresses=addresses,
            clickhouse_pool_size=int(env.get("PARTNEROS_CLICKHOUSE_POOL_SIZE", 4)),
        )
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
