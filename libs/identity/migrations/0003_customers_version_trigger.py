"""tenants.customers_version is bumped by the database itself, on every write to customers.

Until now an ORM hook bumped it, so a Core or raw-SQL write to customers (a bulk import, a fix by
hand) would have left readers' caches stale. Triggers cover every write path; the hook is gone.
One row-level trigger per kind of write: an insert bumps the new row's tenant, a delete the old
row's, an update both (a customer never changes tenant, but the trigger does not rely on it).

Revision ID: identity_0003
Revises: identity_0002
Create Date: 2026-12-05
"""
from alembic import op

revision = "identity_0003"
down_revision = "identity_0002"
branch_labels = None
depends_on = None

_BUMP = "UPDATE tenants SET customers_version = customers_version + 1 WHERE id IN ({rows})"

_SQLITE = [
    f"CREATE TRIGGER customers_version_insert AFTER INSERT ON customers BEGIN "
    f"{_BUMP.format(rows='NEW.tenant_id')}; END",
    f"CREATE TRIGGER customers_version_update AFTER UPDATE ON customers BEGIN "
    f"{_BUMP.format(rows='OLD.tenant_id, NEW.tenant_id')}; END",
    f"CREATE TRIGGER customers_version_delete AFTER DELETE ON customers BEGIN "
    f"{_BUMP.format(rows='OLD.tenant_id')}; END",
]

_POSTGRESQL = [
    f"""CREATE FUNCTION bump_customers_version() RETURNS trigger LANGUAGE plpgsql AS $$
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
    "CREATE TRIGGER customers_version AFTER INSERT OR UPDATE OR DELETE ON customers "
    "FOR EACH ROW EXECUTE FUNCTION bump_customers_version()",
]


def upgrade() -> None:
    for statement in _POSTGRESQL if op.get_bind().dialect.name == "postgresql" else _SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER customers_version ON customers")
        op.execute("DROP FUNCTION bump_customers_version()")
    else:
        for kind in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER customers_version_{kind}")
