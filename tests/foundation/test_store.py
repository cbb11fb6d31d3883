"""The SQL store: migrations run on SQLite and PostgreSQL, are idempotent, and match the ORM models."""
from __future__ import annotations

import importlib
import pathlib

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from libs.store import Base, make_engine, migrate

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _import_all_models() -> None:
    for path in [ROOT / "libs" / "identity" / "models.py", *ROOT.glob("services/*/models.py")]:
        importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))


def test_migrations_create_every_table_and_are_idempotent(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    migrate(engine)  # a second run changes nothing and does not fail
    tables = set(inspect(engine).get_table_names())
    assert {"tenants", "partners", "customers", "operators", "operator_assignments", "partner_users",
            "machine_keys", "personal_tokens", "alembic_version"} <= tables
    engine.dispose()


def test_migrations_match_the_models(database_url: str) -> None:
    _import_all_models()
    engine = make_engine(database_url)
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    # Index naming differences aside, no table or column may be missing on either side.
    structural = [d for d in diff if d[0] in ("add_table", "remove_table", "add_column", "remove_column")]
    assert structural == [], structural
    engine.dispose()
