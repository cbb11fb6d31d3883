"""Identity tables: tenants, partners, customers, operators, partner users, keys, tokens.

Revision ID: identity_0001
Revises:
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa

revision = "identity_0001"
down_revision = None
branch_labels = ("identity",)
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tenants",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("week_start", sa.Integer, nullable=False),
        sa.Column("create_time", TS, nullable=False),
    )
    op.create_table(
        "partners",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("tenant_id", sa.String(40), sa.ForeignKey("tenants.id"), nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("parent_id", sa.String(40), sa.ForeignKey("partners.id"), nullable=True),
        sa.Column("create_time", TS, nullable=False),
    )
    op.create_table(
        "customers",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("tenant_id", sa.String(40), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("partner_id", sa.String(40), sa.ForeignKey("partners.id"), nullable=False),
        sa.Column("external_id", sa.String(200), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("create_time", TS, nullable=False),
        sa.UniqueConstraint("tenant_id", "external_id", name="uq_customers_tenant_external_id"),
        sa.UniqueConstraint("tenant_id", "email", name="uq_customers_tenant_email"),
    )
    op.create_index("ix_customers_tenant_partner", "customers", ["tenant_id", "partner_id"])
    op.create_table(
        "operators",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("tenant_id", sa.String(40), sa.ForeignKey("tenants.id"), nullable=False, index=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("create_time", TS, nullable=False),
        sa.UniqueConstraint("tenant_id", "email", name="uq_operators_tenant_email"),
    )
    op.create_table(
        "operator_assignments",
        sa.Column("operator_id", sa.String(40), sa.ForeignKey("operators.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("partner_id", sa.String(40), sa.ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_table(
        "partner_users",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("tenant_id", sa.String(40), sa.ForeignKey("tenants.id"), nullable=False, index=True),
        sa.Column("partner_id", sa.String(40), sa.ForeignKey("partners.id"), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("create_time", TS, nullable=False),
        sa.UniqueConstraint("tenant_id", "email", name="uq_partner_users_tenant_email"),
    )
    for table, extra in (
        ("machine_keys", [
            sa.Column("scopes", sa.Text, nullable=False),
            sa.Column("partner_id", sa.String(40), sa.ForeignKey("partners.id"), nullable=True),
        ]),
        ("personal_tokens", [
            sa.Column("subject_kind", sa.String(16), nullable=False),
            sa.Column("subject_id", sa.String(40), nullable=False, index=True),
        ]),
    ):
        op.create_table(
            table,
            sa.Column("id", sa.String(40), primary_key=True),
            sa.Column("tenant_id", sa.String(40), sa.ForeignKey("tenants.id"), nullable=False, index=True),
            sa.Column("display_name", sa.String(200), nullable=False),
            sa.Column("prefix", sa.String(32), nullable=False, unique=True),
            sa.Column("secret_hash", sa.String(128), nullable=False),
            *extra,
            sa.Column("create_time", TS, nullable=False),
            sa.Column("revoke_time", TS, nullable=True),
            sa.Column("last_use_time", TS, nullable=True),
        )


def downgrade() -> None:
    for table in ("personal_tokens", "machine_keys", "partner_users", "operator_assignments", "operators",
                  "customers", "partners", "tenants"):
        op.drop_table(table)
