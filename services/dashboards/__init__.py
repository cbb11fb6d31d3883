"""The dashboards service."""
