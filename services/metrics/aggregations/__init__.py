"""Aggregation plugins (entry-point group partneros.aggregations): count, sum, unique.

A new aggregation is one module exposing an `Aggregation` plus one entry point.
"""
from services.metrics.aggregations.base import AggregateExprs, Aggregation, FieldUse, registry

__all__ = ["AggregateExprs", "Aggregation", "FieldUse", "registry"]
