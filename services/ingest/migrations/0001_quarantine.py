"""Quarantined events of the ingest rail.

Revision ID: ingest_0001
Revises:
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa

revision = "ingest_0001"
down_revision = None
branch_labels = ("ingest",)
depends_on = "identity_0001"

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "quarantined_events",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("tenant_id", sa.String(40), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("receipt_key", sa.String(64), nullable=False),
        sa.Column("machine_key_id", sa.String(40), nullable=False),
        sa.Column("scope_partner_id", sa.String(40), nullable=True),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("ref_kind", sa.String(16), nullable=False),
        sa.Column("ref_value", sa.String(320), nullable=False),
        sa.Column("ts_ms", sa.BigInteger, nullable=False),
        sa.Column("properties", sa.Text, nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("receive_time", TS, nullable=False),
        sa.Column("replay_time", TS, nullable=True),
        sa.UniqueConstraint("tenant_id", "receipt_key", name="uq_quarantined_events_tenant_receipt"),
    )
    op.create_index("ix_quarantined_events_tenant_id", "quarantined_events", ["tenant_id", "id"])


def downgrade() -> None:
    op.drop_table("quarantined_events")
