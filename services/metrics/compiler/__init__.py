"""The metric compiler: validate -> resolve -> build -> print ClickHouse SQL.

Each stage is one function in its own module. Values never reach the SQL text: the printer
binds them through the compile context, and it adds the tenant and scope guard itself.
"""
from services.metrics.compiler.build import build_events_select, build_metric_select
from services.metrics.compiler.context import CompileContext, CompilerError
from services.metrics.compiler.printer import print_select
from services.metrics.compiler.resolve import EventsPlan, MetricPlan, resolve_events, resolve_metric
from services.metrics.compiler.spec import FilterSpec, MetricSpec, Op, ValidFilter, ValidMetric
from services.metrics.compiler.validate import validate_filter_groups, validate_filters, validate_metric

__all__ = [
    "CompileContext", "CompilerError", "EventsPlan", "FilterSpec", "MetricPlan", "MetricSpec", "Op",
    "ValidFilter", "ValidMetric", "build_events_select", "build_metric_select", "print_select",
    "resolve_events", "resolve_metric", "validate_filter_groups", "validate_filters", "validate_metric",
]
