"""Rendering knobs, from the environment: how many widgets of one dashboard query at once,
and how long a widget may take by default."""
from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["RenderSettings"]


@dataclass(frozen=True, kw_only=True)
class RenderSettings:
    concurrency: int = 8  # widgets of one render in flight at once
    widget_timeout: float = 10.0  # seconds; a widget's own timeout may only be shorter

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "RenderSettings":
        """PARTNEROS_RENDER_CONCURRENCY and PARTNEROS_WIDGET_TIMEOUT, else the defaults."""
        env = dict(os.environ if env is None else env)
        default = cls()
        concurrency = int(env.get("PARTNEROS_RENDER_CONCURRENCY") or default.concurrency)
        timeout = float(env.get("PARTNEROS_WIDGET_TIMEOUT") or default.widget_timeout)
        if concurrency < 1 or timeout <= 0:
            raise ValueError("PARTNEROS_RENDER_CONCURRENCY must be >= 1 and PARTNEROS_WIDGET_TIMEOUT > 0")
        return cls(concurrency=concurrency, widget_timeout=timeout)
