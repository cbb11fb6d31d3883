"""The demo program loaded by `partneros up --demo`: a tenant a newcomer can explore at once.

Seeded on first start only; the admin token is kept in <data dir>/demo-admin-token so later
starts can print it again (the store itself keeps only its hash).
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)

__all__ = ["ensure_demo", "DEMO_TENANT_ID"]

DEMO_TENANT_ID = "ten_demo"


def ensure_demo(host) -> str:  # noqa: ANN001 - libs.host.Host
    """Seed the demo tenant if absent; return its admin token."""
    from sqlalchemy.orm import Session

    from libs.identity import models as m
    from services.directory.bootstrap import create_tenant

    token_file = host.context.settings.data_dir / "demo-admin-token"
    engine = host.context.engine
    with Session(engine) as session:
        exists = session.get(m.Tenant, DEMO_TENANT_ID) is not None
    if exists and token_file.exists():
        return token_file.read_text().strip()
    result = create_tenant(engine, name="Demo Program", admin_email="admin@demo.partneros.dev",
                           time_zone="Europe/Berlin", tenant_id=DEMO_TENANT_ID)
    token_file.write_text(result.token + "\n")
    token_file.chmod(0o600)
    from libs.demo_seed import seed

    seed(host, result.token)
    return result.token
