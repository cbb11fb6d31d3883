"""Emails stored in one Unicode form (NFKC), as every lookup now writes them.

Until now an email was only trimmed and lower-cased, so "josé" typed with a combining accent and
with a precomposed one were two addresses (and a customer's email unique per tenant twice over).
Stored emails that are not ASCII are rewritten in NFKC, lower-cased; one whose new form another
row of the tenant already holds is left as it was (for an admin to merge), never merged here.

Revision ID: identity_0004
Revises: identity_0003
Create Date: 2026-12-05
"""
import unicodedata

from alembic import op
import sqlalchemy as sa

revision = "identity_0004"
down_revision = "identity_0003"
branch_labels = None
depends_on = None

_TABLES = ("customers", "operators", "partner_users")


def upgrade() -> None:
    bind = op.get_bind()
    for name in _TABLES:
        table = sa.table(name, sa.column("id"), sa.column("tenant_id"), sa.column("email"))
        rows = bind.execute(sa.select(table.c.id, table.c.tenant_id, table.c.email)
                            .where(table.c.email.is_not(None))).all()
        taken = {(tenant, email) for _, tenant, email in rows}
        for row_id, tenant, email in rows:
            if email.isascii():
                continue
            wanted = unicodedata.normalize("NFKC", email).lower()
            if wanted != email and (tenant, wanted) not in taken:
                bind.execute(sa.update(table).where(table.c.id == row_id).values(email=wanted))
                taken.discard((tenant, email))
                taken.add((tenant, wanted))


def downgrade() -> None:
    pass  # the NFKC form is a valid lower-cased email too
