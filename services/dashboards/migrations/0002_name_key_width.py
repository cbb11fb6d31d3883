"""dashboards.name_key holds the case-folded name, which can be longer than the name itself.

casefold() turns some characters into up to three ("ß" into "ss", "ﬃ" into "ffi"), so a
200-character name could need a 600-character key; PostgreSQL refused the longer ones (SQLite
does not enforce VARCHAR lengths, so there is nothing to change there).

Revision ID: dashboards_0002
Revises: dashboards_0001
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa

revision = "dashboards_0002"
down_revision = "dashboards_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("dashboards", "name_key", type_=sa.String(600), existing_type=sa.String(200),
                        existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("dashboards", "name_key", type_=sa.String(200), existing_type=sa.String(600),
                        existing_nullable=False)
