"""Plugin discovery through Python entry points.

Groups: partneros.services, partneros.aggregations, partneros.widgets, partneros.ingest_formats.
Adding a plugin is one module plus one entry point in pyproject.toml.
"""
from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points
from typing import Any

__all__ = ["load_plugins", "SERVICES", "AGGREGATIONS", "WIDGETS", "INGEST_FORMATS"]

SERVICES = "partneros.services"
AGGREGATIONS = "partneros.aggregations"
WIDGETS = "partneros.widgets"
INGEST_FORMATS = "partneros.ingest_formats"


@cache
def load_plugins(group: str) -> dict[str, Any]:
    """name -> loaded object for every entry point of `group`, sorted by name."""
    found = {ep.name: ep for ep in entry_points(group=group)}
    return {name: found[name].load() for name in sorted(found)}
