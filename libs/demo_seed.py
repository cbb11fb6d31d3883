"""Demo content, created through the public gRPC APIs with the demo admin's token."""
from __future__ import annotations

__all__ = ["seed"]


def seed(host, admin_token: str) -> None:  # noqa: ANN001
    """Partners, customers, people, events, metrics and dashboards of the demo tenant."""
    # Each capability adds its part here as it lands (directory, events, metrics, dashboards).
    return None
