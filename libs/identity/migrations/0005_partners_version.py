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

# The next version: past the last one, and at least the clock in microseconds. So a version never
# comes back, not even for a tenant re-created under the same id or a database restored from a
# backup, and a reader's kept tree is only ever reused for the very tree it was read as.
_SQLITE_NOW_US = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"
_POSTGRESQL_NOW_US = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)"
_BUMP = "UPDATE tenants SET partners_version = {next} WHERE id IN ({rows})"
_SQLITE_BUMP = _BUMP.replace("{next}", f"max(partners_version + 1, {_SQLITE_NOW_US})")
_POSTGRESQL_BUMP = _BUMP.replace("{next}", f"GREATEST(partners_version + 1, {_POSTGRESQL_NOW_US})")

_SQLITE = [
    f"CREATE TRIGGER partners_version_insert AFTER INSERT ON partners BEGIN "
    f"{_SQLITE_BUMP.format(rows='NEW.tenant_id')}; END",
    f"CREATE TRIGGER partners_version_update AFTER UPDATE ON partners BEGIN "
    f"{_SQLITE_BUMP.format(rows='OLD.tenant_id, NEW.tenant_id')}; END",
    f"CREATE TRIGGER partners_version_delete AFTER DELETE ON partners BEGIN "
    f"{_SQLITE_BUMP.format(rows='OLD.tenant_id')}; END",
]

_POSTGRESQL = [
    f"""CREATE FUNCTION bump_partners_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {_POSTGRESQL_BUMP.format(rows='NEW.tenant_id')};
        ELSIF TG_OP = 'UPDATE' THEN
            {_POSTGRESQL_BUMP.format(rows='OLD.tenant_id, NEW.tenant_id')};
        ELSE
            {_POSTGRESQL_BUMP.format(rows='OLD.tenant_id')};
        END IF;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER partners_version AFTER INSERT OR UPDATE OR DELETE ON partners "
    "FOR EACH ROW EXECUTE FUNCTION bump_partners_version()",
]


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.add_column("tenants", sa.Column("partners_version", sa.BigInteger, nullable=False, server_default="0"))
    # Existing tenants start at the clock, not at 0: after a downgrade and upgrade, no process may
    # still hold a tree under the version the column starts from.
    op.execute(f"UPDATE tenants SET partners_version = {_POSTGRESQL_NOW_US if postgresql else _SQLITE_NOW_US}")
    for statement in _POSTGRESQL if postgresql else _SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER partners_version ON partners")
        op.execute("DROP FUNCTION bump_partners_version()")
    else:
        for kind in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER partners_version_{kind}")
    # SQLite drops a plain column in place (3.35+): rebuilding tenants, as a batch operation would,
    # fails under its foreign keys and the customers triggers of identity_0003.
    op.drop_column("tenants", "partners_version")
