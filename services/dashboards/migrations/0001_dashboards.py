"""Dashboards and their widgets.

Revision ID: dashboards_0001
Revises:
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa

revision = "dashboards_0001"
down_revision = None
branch_labels = ("dashboards",)
depends_on = "identity_0001"

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dashboards",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("tenant_id", sa.String(40), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("default_level_kind", sa.Integer, nullable=False),
        sa.Column("default_level_id", sa.String(40), nullable=False),
        sa.Column("default_window", sa.Text, nullable=False),
        sa.Column("shared_with_partners", sa.Boolean, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("create_time", TS, nullable=False),
        sa.Column("update_time", TS, nullable=False),
    )
    op.create_index("ix_dashboards_tenant_name", "dashboards", ["tenant_id", "name_key", "id"])
    op.create_table(
        "dashboard_widgets",
        sa.Column("dashboard_id", sa.String(40), sa.ForeignKey("dashboards.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("ordinal", sa.Integer, primary_key=True),
        sa.Column("tenant_id", sa.String(40), nullable=False),
        sa.Column("widget_id", sa.String(40), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("metric_id", sa.String(40), nullable=False),
        sa.Column("spec", sa.Text, nullable=False),
    )
    op.create_index("ix_dashboard_widgets_tenant_metric", "dashboard_widgets", ["tenant_id", "metric_id"])


def downgrade() -> None:
    op.drop_index("ix_dashboard_widgets_tenant_metric", table_name="dashboard_widgets")
    op.drop_table("dashboard_widgets")
    op.drop_index("ix_dashboards_tenant_name", table_name="dashboards")
    op.drop_table("dashboards")
