"""The SQL store (SQLAlchemy 2): SQLite embedded, PostgreSQL in production and tests."""
from libs.store.base import Base
from libs.store.engine import make_engine
from libs.store.migrate import migrate

__all__ = ["Base", "make_engine", "migrate"]
