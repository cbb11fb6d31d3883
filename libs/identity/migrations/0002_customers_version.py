"""tenants.customers_version: bumped with every change to a tenant's customers.

Readers that cache customer lookups (the ingest rail) compare it to know their cache is current.

Revision ID: identity_0002
Revises: identity_0001
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa

revision = "identity_0002"
down_revision = "identity_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("customers_version", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    # In place on SQLite too (3.35+): rebuilding tenants, as a batch operation would, fails under its
    # foreign keys.
    op.drop_column("tenants", "customers_version")
