"""Metric definitions and their versions.

Revision ID: metrics_0001
Revises:
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa

revision = "metrics_0001"
down_revision = None
branch_labels = ("metrics",)
depends_on = "identity_0001"

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "metrics",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("tenant_id", sa.String(40), sa.ForeignKey("tenants.id"), nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("aggregation", sa.String(64), nullable=False),
        sa.Column("event_names", sa.Text, nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("filter_groups", sa.Text, nullable=False),
        sa.Column("unit", sa.String(64), nullable=False),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("create_time", TS, nullable=False),
        sa.Column("update_time", TS, nullable=False),
        sa.UniqueConstraint("tenant_id", "name_key", name="uq_metrics_tenant_name"),
    )
    op.create_table(
        "metric_versions",
        sa.Column("metric_id", sa.String(40), primary_key=True),
        sa.Column("version", sa.BigInteger, primary_key=True),
        sa.Column("tenant_id", sa.String(40), sa.ForeignKey("tenants.id"), nullable=False, index=True),
        sa.Column("definition", sa.Text, nullable=False),
        sa.Column("create_time", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("metric_versions")
    op.drop_table("metrics")
