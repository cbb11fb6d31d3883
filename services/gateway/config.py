"""The gateway's own limits, from PARTNEROS_GATEWAY_* variables (the bind address is in Settings)."""
from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["GatewayConfig", "ENV_VARS"]

ENV_VARS = ("PARTNEROS_GATEWAY_MAX_BODY_BYTES", "PARTNEROS_GATEWAY_TIMEOUT_SECONDS",
            "PARTNEROS_GATEWAY_RATE_PER_SECOND", "PARTNEROS_GATEWAY_RATE_BURST")


@dataclass(frozen=True, kw_only=True)
class GatewayConfig:
    """Limits applied before a request reaches a service."""

    # Largest request body accepted (413 above it). 1000 events of a few fields weigh ~250 KB.
    max_body_bytes: int = 8 << 20
    # Deadline of the upstream gRPC call (504 when it passes).
    timeout_seconds: float = 30.0
    # Token bucket per credential (hash of the bearer token; client address when there is none):
    # sustained requests per second and burst size. 0 disables rate limiting.
    rate_per_second: float = 100.0
    rate_burst: int = 200
    # Upper bound on remembered buckets (least recently used are forgotten first).
    rate_max_keys: int = 100_000
    # Deadline of each health check behind /readyz.
    health_timeout_seconds: float = 2.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> "GatewayConfig":
        env = dict(os.environ if env is None else env)
        values: dict[str, object] = {}
        if env.get("PARTNEROS_GATEWAY_MAX_BODY_BYTES"):
            values["max_body_bytes"] = int(env["PARTNEROS_GATEWAY_MAX_BODY_BYTES"])
        if env.get("PARTNEROS_GATEWAY_TIMEOUT_SECONDS"):
            values["timeout_seconds"] = float(env["PARTNEROS_GATEWAY_TIMEOUT_SECONDS"])
        if env.get("PARTNEROS_GATEWAY_RATE_PER_SECOND"):
            values["rate_per_second"] = float(env["PARTNEROS_GATEWAY_RATE_PER_SECOND"])
        if env.get("PARTNEROS_GATEWAY_RATE_BURST"):
            values["rate_burst"] = int(env["PARTNEROS_GATEWAY_RATE_BURST"])
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
