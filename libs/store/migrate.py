"""Alembic migrations, one independent branch per owner (identity tables, each service)."""
from __future__ import annotations

import pathlib

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

__all__ = ["migrate", "migration_dirs"]

_SCRIPT_LOCATION = pathlib.Path(__file__).resolve().parent / "alembic"


def migration_dirs() -> list[pathlib.Path]:
    """Version folders: the shared identity tables, then every installed service plugin's."""
    from libs.plugins import SERVICES, load_plugins

    dirs = [pathlib.Path(__file__).resolve().parent.parent / "identity" / "migrations"]
    for plugin in load_plugins(SERVICES).values():
        if plugin.migrations is not None:
            dirs.append(plugin.migrations)
    return dirs


def _config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPT_LOCATION))
    cfg.set_main_option("version_locations", " ".join(str(d) for d in migration_dirs()))
    cfg.set_main_option("path_separator", "space")
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine, revision: str = "heads") -> None:
    """Bring the SQL store up to date; idempotent."""
    command.upgrade(_config(engine), revision)
