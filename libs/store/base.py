"""Declarative base shared by every service's tables (one metadata for Alembic)."""
from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

__all__ = ["Base"]


class Base(DeclarativeBase):
    pass
