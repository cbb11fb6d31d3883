"""Demo content, created through the public gRPC APIs with the demo admin's token.

Each service contributes a `demo.py` with `seed(channel, metadata, state)`; they run in the
order below and pass ids along in `state` (partners, customers, metrics, ...).
"""
from __future__ import annotations

import importlib
import logging

import grpc

__all__ = ["seed", "SEED_ORDER"]

log = logging.getLogger(__name__)

SEED_ORDER = ("directory", "ingest", "metrics", "dashboards")


def seed(host, admin_token: str) -> dict:  # noqa: ANN001
    state: dict = {"tenant_id": "ten_demo"}
    metadata = (("authorization", f"Bearer {admin_token}"),)
    with grpc.insecure_channel(host.address) as channel:
        for service in SEED_ORDER:
            try:
                module = importlib.import_module(f"services.{service}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"services.{service}.demo":
                    raise
                continue
            log.info("seeding demo %s", service)
            module.seed(channel, metadata, state)
    return state
