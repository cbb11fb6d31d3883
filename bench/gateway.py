"""HTTP gateway benchmark: ingest and metric queries over HTTP against the same over gRPC / raw.

Topology (each its own process, loopback): `partneros serve --services directory,ingest,metrics`
on its own chDB path, and `partneros serve --services gateway` in front of it.
- ingest: batches of 1000 events (the ingest benchmark's realistic payloads) POSTed as JSON to
  /v1/events:ingest, against the raw engine rate (the same events pre-serialised as JSONEachRow,
  client.raw_insert into the same table layout, chDB in this process), alternating rounds of 5
  batches so machine load weighs on both; ratio = HTTP / raw (target >= 0.35). The same batches
  sent over gRPC straight to the ingest process are reported too, so the gateway's own share shows;
- conversion: the gateway's JSON -> proto and proto -> JSON work for one batch, timed in this
  process, and the gateway's whole own time per batch as its Server-Timing header reports it, as
  shares of the HTTP batch time (they must not be most of it);
- query: QueryMetric (sum over 30 days by day, with the previous period) over HTTP vs. over gRPC,
  alternating calls, ratio of medians (target <= 1.2).
Run: `.venv/bin/python -m bench gateway` (or `make bench`). Sizes: BENCH_GATEWAY_EVENTS (30000),
BENCH_GATEWAY_QUERIES (300); BENCH_GATEWAY_TOPOLOGY=embedded puts the gateway inside the services'
process instead (as `partneros up` runs it).
"""
from __future__ import annotations

import datetime as dt
import http.client
import math
import os
import pathlib
import re
import socket
import statistics
import tempfile
import time

import grpc
import orjson

from bench.serve import serve

N_EVENTS = int(os.environ.get("BENCH_GATEWAY_EVENTS", "30000"))
N_QUERIES = int(os.environ.get("BENCH_GATEWAY_QUERIES", "300"))
TOPOLOGY = os.environ.get("BENCH_GATEWAY_TOPOLOGY", "separate")  # or "embedded"
BATCH = 1000
ROUND = 5
_REF = {"customer_id": "customerId", "external_id": "externalId", "email": "email"}


def _world(database_url: str) -> tuple[str, str, str, list[dict]]:
    """(tenant id, admin token, machine key secret, customers) of a 20-partner, 1000-customer program."""
    from sqlalchemy.orm import Session

    from libs.identity import models as m
    from libs.identity.tokens import MACHINE_KEY_KIND, hash_secret, new_id, new_secret
    from libs.store import make_engine, migrate
    from services.directory.bootstrap import create_tenant

    engine = make_engine(database_url)
    migrate(engine)
    admin = create_tenant(engine, name="Bench", admin_email="bench@example.com")
    customers = []
    with Session(engine) as s, s.begin():
        partners = [new_id("ptn") for _ in range(20)]
        for i, pid in enumerate(partners):
            s.add(m.Partner(id=pid, tenant_id=admin.tenant_id, name=f"P{i}", parent_id=partners[0] if i else None))
        s.flush()
        for i in range(1000):
            c = dict(id=new_id("cus"), partner_id=partners[i % 20], external_id=f"crm-{i}", email=f"c{i}@bench.example")
            s.add(m.Customer(tenant_id=admin.tenant_id, name=f"C{i}", **c))
            customers.append(c)
        secret, prefix = new_secret(MACHINE_KEY_KIND)
        s.add(m.MachineKey(id=new_id("mk"), tenant_id=admin.tenant_id, prefix=prefix, secret_hash=hash_secret(secret),
                           scopes="events:write"))
    engine.dispose()
    return admin.tenant_id, admin.token, secret, customers


def _json_body(events: list[dict]) -> bytes:
    """The HTTP body a partner system would send for these events."""
    return orjson.dumps({"events": [{
        "eventId": e["event_id"], "name": e["name"], "customer": {_REF[e["kind"]]: e["ref"]},
        "timestamp": dt.datetime.fromtimestamp(e["ts_ms"] / 1000, dt.timezone.utc).isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
        "properties": e["properties"]} for e in events]})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Http:
    """One keep-alive HTTP/1.1 connection, as a partner system's client would hold."""

    def __init__(self, port: int, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def post(self, path: str, body: bytes) -> dict:
        self.conn.request("POST", path, body=body, headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"POST {path}: {response.status} {data[:300]!r}")
        self.timing = dict(re.findall(r"(\w+);dur=([0-9.]+)", response.getheader("server-timing", "")))
        return orjson.loads(data)


def _wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the gateway did not become ready")


def _ingest(port: int, grpc_address: str, secret: str, bodies: list[bytes], requests: list, blocks: list[bytes],
            dsn: str) -> tuple[float, float, float, list[float], list[float]]:
    """(HTTP events/s, gRPC events/s, raw events/s, HTTP seconds per batch, gateway's own ms per batch)."""
    from partneros.ingest.v1 import ingest_pb2_grpc

    from libs.clickhouse import make_client
    from libs.clickhouse.schema import EVENT_COLUMNS, EVENTS_TABLE, ensure_schema

    client = make_client(dsn)
    ensure_schema(client)
    columns = list(EVENT_COLUMNS)
    web = _Http(port, secret)
    metadata = (("authorization", f"Bearer {secret}"),)
    seconds = {"http": 0.0, "grpc": 0.0, "raw": 0.0}
    counts = {"http": 0, "grpc": 0, "raw": 0}
    per_batch: list[float] = []
    own_ms: list[float] = []
    with grpc.insecure_channel(grpc_address, options=[("grpc.max_send_message_length", 64 << 20)]) as channel:
        stub = ingest_pb2_grpc.IngestServiceStub(channel)
        for i in range(2):  # warm-up: connections, caches, first parts
            web.post("/v1/events:ingest", bodies[i])
            stub.IngestEvents(requests[i], metadata=metadata)
            client.raw_insert(EVENTS_TABLE, column_names=columns, insert_block=blocks[i], fmt="JSONEachRow")
        for start in range(2, len(bodies), ROUND):
            chunk = range(start, min(start + ROUND, len(bodies)))
            t0 = time.perf_counter()
            for i in chunk:
                b0 = time.perf_counter()
                result = web.post("/v1/events:ingest", bodies[i])
                per_batch.append(time.perf_counter() - b0)
                own_ms.append(float(web.timing["gateway"]))
                if result["acceptedCount"] != BATCH:
                    raise RuntimeError(f"HTTP: only {result['acceptedCount']} of {BATCH} accepted")
                counts["http"] += BATCH
            t1 = time.perf_counter()
            for i in chunk:
                response = stub.IngestEvents(requests[i], metadata=metadata)
                if response.accepted_count != BATCH:
                    raise RuntimeError(f"gRPC: only {response.accepted_count} of {BATCH} accepted")
                counts["grpc"] += BATCH
            t2 = time.perf_counter()
            for i in chunk:
                client.raw_insert(EVENTS_TABLE, column_names=columns, insert_block=blocks[i], fmt="JSONEachRow")
                counts["raw"] += BATCH
            t3 = time.perf_counter()
            seconds["http"] += t1 - t0
            seconds["grpc"] += t2 - t1
            seconds["raw"] += t3 - t2
    web.conn.close()
    rate = {k: counts[k] / seconds[k] for k in seconds}
    return rate["http"], rate["grpc"], rate["raw"], per_batch, own_ms


def _conversion_ms(body: bytes, grpc_address: str, secret: str, request) -> float:  # noqa: ANN001
    """The gateway's own JSON <-> proto work for one batch, timed in this process (median of 10)."""
    from partneros.ingest.v1 import ingest_pb2_grpc

    from services.gateway.routes import build_routes
    from services.gateway.transcode import build_request, encode_response
    from services.gateway.upstream import discover_services

    route = next(r for r in build_routes(discover_services()) if r.rpc_path.endswith("/IngestEvents"))
    with grpc.insecure_channel(grpc_address) as channel:  # a real response to encode (duplicates now)
        response = ingest_pb2_grpc.IngestServiceStub(channel).IngestEvents(
            request, metadata=(("authorization", f"Bearer {secret}"),))
    times = []
    for _ in range(10):
        t0 = time.perf_counter()
        build_request(route, {}, b"", body).SerializeToString()
        encode_response(route, response)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def _queries(port: int, grpc_address: str, token: str) -> tuple[float, float]:
    """(median HTTP ms, median gRPC ms) of the same QueryMetric, calls alternating."""
    from google.protobuf import json_format
    from partneros.metrics.v1 import metrics_pb2, metrics_pb2_grpc

    metadata = (("authorization", f"Bearer {token}"),)
    with grpc.insecure_channel(grpc_address) as channel:
        stub = metrics_pb2_grpc.MetricsServiceStub(channel)
        metric = stub.CreateMetric(metrics_pb2.CreateMetricRequest(metric=metrics_pb2.Metric(
            name="Revenue", aggregation="sum", field="amount", event_names=["purchase"])), metadata=metadata)
        request = metrics_pb2.QueryMetricRequest(
            metric_id=metric.id, grain="GRAIN_DAY", compare_previous=True,
            window={"period": "PERIOD_DAY", "mode": "WINDOW_MODE_TRAILING", "count": 30})
        body = orjson.dumps(json_format.MessageToDict(request))
        path = f"/v1/metrics/{metric.id}:query"
        web = _Http(port, token)
        http_s, grpc_s = [], []
        for _ in range(10):  # warm-up
            web.post(path, body)
            stub.QueryMetric(request, metadata=metadata)
        for _ in range(N_QUERIES):
            t0 = time.perf_counter()
            answer = web.post(path, body)
            t1 = time.perf_counter()
            direct = stub.QueryMetric(request, metadata=metadata)
            t2 = time.perf_counter()
            http_s.append(t1 - t0)
            grpc_s.append(t2 - t1)
        web.conn.close()
    if not direct.value or not math.isclose(answer["value"], direct.value, rel_tol=1e-9):  # sums may reorder
        raise RuntimeError(f"HTTP and gRPC disagree: {answer['value']} vs {direct.value}")
    return statistics.median(http_s) * 1000, statistics.median(grpc_s) * 1000


def main() -> None:
    from bench.ingest import _events, _json_rows, _requests

    with tempfile.TemporaryDirectory(prefix="partneros-bench-gateway-") as tmp:
        root = pathlib.Path(tmp)
        database_url = f"sqlite:///{root / 'store.sqlite3'}"
        tenant, admin_token, secret, customers = _world(database_url)
        n_batches = max(N_EVENTS // BATCH, 3)
        http_events = _events(customers, n_batches * BATCH, seed=21)
        grpc_events = _events(customers, n_batches * BATCH, seed=22)  # fresh ids: no duplicates
        bodies = [_json_body(http_events[i:i + BATCH]) for i in range(0, len(http_events), BATCH)]
        requests = _requests(grpc_events, BATCH)
        blocks = _json_rows(tenant, http_events)

        port = _free_port()
        http_env = dict(PARTNEROS_HTTP_HOST="127.0.0.1", PARTNEROS_HTTP_PORT=str(port),
                        PARTNEROS_GATEWAY_RATE_PER_SECOND="0")
        if TOPOLOGY == "embedded":  # the gateway inside the services' process (as `partneros up` runs it)
            services, address = serve("directory,ingest,metrics,gateway", root / "services", database_url, **http_env)
            processes = [services]
        else:
            services, address = serve("directory,ingest,metrics", root / "services", database_url)
            gateway, _ = serve("gateway", root / "gateway", database_url, **http_env,
                                **{f"PARTNEROS_{n}_ADDR": address for n in ("DIRECTORY", "INGEST", "METRICS")})
            processes = [gateway, services]
        try:
            _wait_ready(port)
            http_rate, grpc_rate, raw_rate, per_batch, own_ms = _ingest(port, address, secret, bodies, requests, blocks,
                                                                f"chdb://{root / 'raw'}")
            conversion = _conversion_ms(bodies[0], address, secret, requests[0])
            http_ms, grpc_ms = _queries(port, address, admin_token)
        finally:
            for proc in processes:
                proc.terminate()
                proc.wait(30)

    batch_ms = statistics.median(per_batch) * 1000
    print(f"topology: {TOPOLOGY}; events: {(n_batches - 2) * BATCH} timed per path, batches of {BATCH}; "
          f"{N_QUERIES} queries; "
          f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d}")
    print(f"IngestEvents over HTTP (gateway) : {http_rate:10,.0f} events/s")
    print(f"IngestEvents over gRPC (direct)  : {grpc_rate:10,.0f} events/s")
    print(f"raw_insert JSONEachRow           : {raw_rate:10,.0f} events/s")
    print(f"ratio HTTP / raw                 : {http_rate / raw_rate:10.2f}   (target >= 0.35)")
    print(f"ratio HTTP / gRPC                : {http_rate / grpc_rate:10.2f}")
    own = statistics.median(own_ms)
    print(f"HTTP batch, median               : {batch_ms:10.1f} ms, of which the gateway's own work {own:.1f} ms "
          f"({own / batch_ms:.0%}, Server-Timing)")
    print(f"JSON<->proto per 1000-event batch: {conversion:10.1f} ms ({conversion / batch_ms:.0%} of the HTTP batch)")
    print(f"QueryMetric median HTTP / gRPC   : {http_ms:.2f} ms / {grpc_ms:.2f} ms = {http_ms / grpc_ms:.2f}   "
          f"(target <= 1.2)")


if __name__ == "__main__":
    main()
