"""Demo metrics for `partneros up --demo`, created through the public API.

Fits the demo events (activation, usage, purchase {amount, seats, plan: {tier}}); writes
`state["metrics"]` as {name: id}, in the order the demo dashboard shows them.
"""
from __future__ import annotations

import logging
from typing import Any

import grpc
from google.protobuf import struct_pb2
from partneros.common.v1 import filter_pb2
from partneros.metrics.v1 import metrics_pb2 as pb
from partneros.metrics.v1 import metrics_pb2_grpc

__all__ = ["seed", "demo_metrics"]

log = logging.getLogger(__name__)


def demo_metrics() -> list[pb.Metric]:
    enterprise = pb.Metric(name="Enterprise seats", aggregation="sum", field="seats", event_names=["purchase"],
                           unit="seats", format="integer",
                           description="Seats on enterprise purchases: new, renewals and upgrades.")
    enterprise.filter_groups.add().filters.add(path="plan.tier", operator=filter_pb2.FILTER_OPERATOR_EQUALS,
                                               values=[struct_pb2.Value(string_value="enterprise")])
    return [
        pb.Metric(name="Activations", aggregation="count", event_names=["activation"], format="integer",
                  description="Customers who activated the product."),
        pb.Metric(name="Revenue", aggregation="sum", field="amount", event_names=["purchase"], unit="EUR",
                  format="currency", description="Purchase amounts in EUR."),
        pb.Metric(name="Active customers", aggregation="unique", event_names=["usage"], unit="customers",
                  format="integer", description="Distinct customers using the product."),
        enterprise,
    ]


def seed(channel: grpc.Channel, metadata, state: dict[str, Any]) -> None:  # noqa: ANN001
    """Create the demo metrics (reusing any that already exist by name)."""
    stub = metrics_pb2_grpc.MetricsServiceStub(channel)
    existing = {m.name: m.id for m in stub.ListMetrics(pb.ListMetricsRequest(page_size=1000),
                                                        metadata=metadata).metrics}
    created: dict[str, str] = {}
    for metric in demo_metrics():
        if metric.name not in existing:
            existing[metric.name] = stub.CreateMetric(pb.CreateMetricRequest(metric=metric), metadata=metadata).id
        created[metric.name] = existing[metric.name]
    state["metrics"] = created
    log.info("demo metrics: %s", ", ".join(created))
