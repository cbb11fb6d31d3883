"""ClickHouse access over clickhouse-connect: `chdb://path` embedded or `http(s)://host:8123`."""
from libs.clickhouse.pool import ClientPool, make_client
from libs.clickhouse.schema import ensure_schema

__all__ = ["ClientPool", "make_client", "ensure_schema"]
