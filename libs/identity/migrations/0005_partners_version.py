"""tenants.partners_version, bumped by the database on every write to a tenant's partners.

Every request reads the partner tree to scope itself; a tenant with 10,000 partners took ~5 ms for
that alone. Readers now keep the tree they read last per tenant and re-read it only when this
version has moved, which triggers guarantee for every write path (the ORM, Core, raw SQL), as
customers_version does for customers (identity_0003).

Revision ID: identity_0005
Revises: identity_0004
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa

revision = "identity_0005"
down_revision = "identity_0004"
branch_labels = None
depends_on = None

_BUMP = "UPDATE tenants SET partners_version = partners_version + 1 WHERE id IN ({rows})"

_SQLITE = [
    f"CREATE TRIGGER partners_version_insert AFTER INSERT ON partners BEGIN "
    f"{_BUMP.format(rows='NEW.tenant_id')}; END",
    f"CREATE TRIGGER partners_version_update AFTER UPDATE ON partners BEGIN "
    f"{_BUMP.format(rows='OLD.tenant_id, NEW.tenant_id')}; END",
    f"CREATE TRIGGER partners_version_delete AFTER DELETE ON partners BEGIN "
    f"{_BUMP.format(rows='OLD.tenant_id')}; END",
]

_POSTGRESQL = [
    f"""CREATE FUNCTION bump_partners_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {_BUMP.format(rows='NEW.tenant_id')};
        ELSIF TG_OP = 'UPDATE' THEN
            {_BUMP.format(rows='OLD.tenant_id, NEW.tenant_id')};
        ELSE
            {_BUMP.format(rows='OLD.tenant_id')};
        END IF;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER partners_version AFTER INSERT OR UPDATE OR DELETE ON partners "
    "FOR EACH ROW EXECUTE FUNCTION bump_partners_version()",
]


def upgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("partners_version", sa.Integer, nullable=False, server_default="0"))
    for statement in _POSTGRESQL if op.get_bind().dialect.name == "postgresql" else _SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER partners_version ON partners")
        op.execute("DROP FUNCTION bump_partners_version()")
    else:
        for kind in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER partners_version_{kind}")
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("partners_version")
