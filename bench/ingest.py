"""Ingest throughput: IngestEvents over gRPC vs. the raw engine, plus peak memory.

- rail: events/s through IngestEvents (batches of 1000, realistic payloads) against a
  separate `partneros serve --services directory,ingest` process on its own chDB path, in the
  native format (EventInput messages, payloads as Struct or as JSON text) and in the jsonl format;
  each request is serialised before timing starts, as raw's rows are (the client still reads
  every per-event verdict of each response);
- raw: the same events pre-serialised as JSONEachRow, inserted with client.raw_insert in
  batches of 1000 into the same table layout (chDB in this process);
- rail and raw alternate in rounds of 5 batches, so a busy machine weighs on both alike; each
  format gets a fresh ingest process and a truncated raw table;
- ratio = rail / raw (target >= 0.5), for each format; the median over BENCH_INGEST_RUNS (5) runs,
  each with fresh processes and tables, because the raw rate swings from run to run;
- batches in flight: the JSON text stream again with 1, 2 and 4 senders of one tenant (rail:
  a channel each; raw: a client each), BENCH_INGEST_FLIGHT_RUNS (2) runs, medians;
- peak RSS (VmHWM) of a fresh ingest process before and after one 10,000-event batch.
Run: `.venv/bin/python -m bench ingest` (or `make bench`). Sizes: BENCH_INGEST_EVENTS (50000).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import random
import statistics
import tempfile
import time

import grpc

from bench.serve import serve

N_EVENTS = int(os.environ.get("BENCH_INGEST_EVENTS", "50000"))
BATCH = 1000
BIG_BATCH = 10_000
ROUND = 5  # batches per alternating round
RUNS = int(os.environ.get("BENCH_INGEST_RUNS", "5"))  # the ratio is reported as the median of the runs
N_CUSTOMERS = 1000
IN_FLIGHT = (2, 4)  # senders of one tenant in the "batches in flight" measurement (against 1)
FLIGHT_RUNS = int(os.environ.get("BENCH_INGEST_FLIGHT_RUNS", "2"))  # 0 skips the measurement
_INGEST_METHOD = "/partneros.ingest.v1.IngestService/IngestEvents"


def _world(database_url: str):  # noqa: ANN202 - (tenant_id, secret, customers)
    """A tenant with 20 partners, N_CUSTOMERS customers and an unbound machine key."""
    from sqlalchemy.orm import Session

    from libs.identity import models as m
    from libs.identity.tokens import MACHINE_KEY_KIND, hash_secret, new_id, new_secret
    from libs.store import make_engine, migrate
    from services.directory.bootstrap import create_tenant

    engine = make_engine(database_url)
    migrate(engine)
    tenant = create_tenant(engine, name="Bench", admin_email="bench@example.com").tenant_id
    customers = []
    with Session(engine) as s, s.begin():
        partners = [new_id("ptn") for _ in range(20)]
        for i, pid in enumerate(partners):
            s.add(m.Partner(id=pid, tenant_id=tenant, name=f"P{i}", parent_id=partners[0] if i else None))
        s.flush()
        for i in range(N_CUSTOMERS):
            cid = new_id("cus")
            customer = dict(id=cid, partner_id=partners[i % 20], external_id=f"crm-{i}", email=f"c{i}@bench.example")
            s.add(m.Customer(tenant_id=tenant, name=f"C{i}", **customer))
            customers.append(customer)
        secret, prefix = new_secret(MACHINE_KEY_KIND)
        s.add(m.MachineKey(id=new_id("mk"), tenant_id=tenant, prefix=prefix, secret_hash=hash_secret(secret),
                           scopes="events:write"))
    engine.dispose()
    return tenant, secret, customers


def _events(customers: list[dict], n: int, seed: int = 7) -> list[dict]:
    """Realistic events: a handful of names, a few payload fields, references of all three kinds."""
    rnd = random.Random(seed)
    now = int(time.time() * 1000)
    names = ["signup", "activation", "usage", "usage", "usage", "purchase"]
    out = []
    for i in range(n):
        c = customers[rnd.randrange(len(customers))]
        kind = ("external_id", "email", "customer_id")[i % 3]
        ref = {"customer_id": c["id"], "external_id": c["external_id"], "email": c["email"]}[kind]
        props = {"plan": {"tier": rnd.choice(["free", "pro", "enterprise"])}, "amount": round(rnd.uniform(5, 900), 2),
                 "seats": rnd.randint(1, 50), "country": rnd.choice(["DE", "AT", "CH", "FR", "NL"])}
        out.append({"event_id": f"ev-{seed}-{i}", "name": rnd.choice(names), "kind": kind, "ref": ref,
                    "customer": c, "ts_ms": now - rnd.randrange(180 * 86_400_000), "properties": props})
    return out


def _requests(events: list[dict], size: int, json_text: bool = False) -> list:  # noqa: ANN202
    """Native batches; payloads as Struct (`properties`) or as JSON text (`properties_json`)."""
    from google.protobuf import struct_pb2, timestamp_pb2
    from partneros.ingest.v1 import ingest_pb2 as pb

    requests = []
    for start in range(0, len(events), size):
        batch = []
        for e in events[start:start + size]:
            stamp = timestamp_pb2.Timestamp()
            stamp.FromMilliseconds(e["ts_ms"])
            if json_text:
                payload = {"properties_json": json.dumps(e["properties"])}
            else:
                payload = {"properties": struct_pb2.Struct()}
                payload["properties"].update(e["properties"])
            batch.append(pb.EventInput(event_id=e["event_id"], name=e["name"],
                                       customer=pb.CustomerRef(**{e["kind"]: e["ref"]}), timestamp=stamp,
                                       **payload))
        requests.append(pb.IngestEventsRequest(events=batch))
    return requests


def _jsonl_requests(events: list[dict], size: int) -> list:  # noqa: ANN202
    """The same kind of batches in the jsonl format (JSON lines in `data`)."""
    from partneros.ingest.v1 import ingest_pb2 as pb

    lines = [json.dumps({"event_id": e["event_id"], "name": e["name"], "customer": {e["kind"]: e["ref"]},
                         "timestamp": dt.datetime.fromtimestamp(e["ts_ms"] / 1000, dt.timezone.utc).isoformat(),
                         "properties": e["properties"]}) for e in events]
    return [pb.IngestEventsRequest(format="jsonl", data="\n".join(lines[i:i + size]).encode())
            for i in range(0, len(lines), size)]


def _json_rows(tenant: str, events: list[dict]) -> list[bytes]:
    """The rows the rail would write, pre-serialised as JSONEachRow, in batches of BATCH."""
    received = time.time()
    lines = [json.dumps({
        "tenant_id": tenant, "partner_id": e["customer"]["partner_id"], "customer_id": e["customer"]["id"],
        "event_id": e["event_id"], "name": e["name"], "ts": e["ts_ms"] / 1000, "received_at": received,
        "source": "api", "properties": json.dumps(e["properties"], separators=(",", ":"), sort_keys=True),
        "actor_id": "bench"}) for e in events]
    return ["\n".join(lines[i:i + BATCH]).encode() for i in range(0, len(lines), BATCH)]


def _peak_rss_mib(pid: int) -> float:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _rates(address: str, secret: str, requests: list, clients: list, blocks: list[bytes],
           in_flight: int = 1) -> tuple[float, float]:
    """(rail events/s, raw events/s) measured in alternating rounds of ROUND batches per sender,
    so that both see the same machine load; both start on empty tables. With `in_flight` > 1,
    that many senders each keep one batch in flight (rail: one channel each; raw: one client each)."""
    from concurrent.futures import ThreadPoolExecutor

    from partneros.ingest.v1 import ingest_pb2 as pb

    from libs.clickhouse.schema import EVENT_COLUMNS, EVENT_IDS_TABLE, EVENTS_TABLE

    clients[0].command(f"TRUNCATE TABLE {EVENTS_TABLE}")
    clients[0].command(f"TRUNCATE TABLE {EVENT_IDS_TABLE}")
    columns = list(EVENT_COLUMNS)
    metadata = (("authorization", f"Bearer {secret}"),)
    seconds = {"rail": 0.0, "raw": 0.0}
    counts = {"rail": 0, "raw": 0}
    channels = [grpc.insecure_channel(address, options=[("grpc.max_send_message_length", 64 << 20)])
                for _ in range(in_flight)]
    # Requests go out as the bytes serialised beforehand (no request serializer), like raw's rows.
    calls = [channel.unary_unary(_INGEST_METHOD, request_serializer=None,
                                 response_deserializer=pb.IngestEventsResponse.FromString) for channel in channels]
    requests = [request.SerializeToString() for request in requests]

    def raw(sender: int, block: bytes) -> int:
        clients[sender].raw_insert(EVENTS_TABLE, column_names=columns, insert_block=block, fmt="JSONEachRow")
        return block.count(b"\n") + 1

    def rail(sender: int, request: bytes) -> int:
        response = calls[sender](request, metadata=metadata)
        if response.accepted_count != len(response.results):
            raise RuntimeError(f"only {response.accepted_count} of {len(response.results)} accepted")
        return response.accepted_count

    def send(run, items: list, sender: int) -> int:  # noqa: ANN001 - each sender its share, in turn
        return sum(run(sender, item) for item in items[sender::in_flight])

    work = {"rail": (rail, requests), "raw": (raw, blocks)}
    step = ROUND * in_flight
    try:
        with ThreadPoolExecutor(in_flight) as senders:
            for run, items in work.values():  # warm-up: connections, caches, first parts
                for i in range(2 * in_flight):
                    run(i % in_flight, items[i])
            for start in range(2 * in_flight, len(blocks), step):
                for name, (run, items) in work.items():
                    chunk = items[start:start + step]
                    t0 = time.perf_counter()
                    counts[name] += sum(senders.map(lambda sender: send(run, chunk, sender),  # noqa: B023
                                                    range(in_flight)))
                    seconds[name] += time.perf_counter() - t0
    finally:
        for channel in channels:
            channel.close()
    return counts["rail"] / seconds["rail"], counts["raw"] / seconds["raw"]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="partneros-bench-ingest-") as tmp:
        root = pathlib.Path(tmp)
        database_url = f"sqlite:///{root / 'store.sqlite3'}"
        tenant, secret, customers = _world(database_url)
        from libs.clickhouse import make_client
        from libs.clickhouse.schema import ensure_schema

        events = _events(customers, N_EVENTS)
        streams = {"native, Struct": _requests(events, BATCH), "native, JSON text": _requests(events, BATCH, True),
                   "jsonl": _jsonl_requests(events, BATCH)}
        blocks = _json_rows(tenant, events)
        clients = [make_client(f"chdb://{root / 'raw'}") for _ in range(max(IN_FLIGHT))]
        ensure_schema(clients[0])
        rates: dict[str, list[tuple[float, float]]] = {name: [] for name in streams}
        for run in range(RUNS):  # each format, each run, against its own fresh ingest process
            for name, requests in streams.items():
                proc, address = serve("directory,ingest", root / f"run{run}-{name.replace(' ', '').replace(',', '-')}",
                                      database_url)
                try:
                    rates[name].append(_rates(address, secret, requests, clients, blocks))
                finally:
                    proc.terminate()
                    proc.wait(30)
        flights: dict[int, list[tuple[float, float]]] = {k: [] for k in (1, *IN_FLIGHT)}
        for run in range(FLIGHT_RUNS):  # one tenant's senders with 1, 2 and 4 batches in flight
            for k in flights:
                proc, address = serve("directory,ingest", root / f"flight{run}-{k}", database_url)
                try:
                    flights[k].append(_rates(address, secret, streams["native, JSON text"], clients, blocks, k))
                finally:
                    proc.terminate()
                    proc.wait(30)

        big = _requests(_events(customers, BIG_BATCH, seed=11), BIG_BATCH)[0]
        warm = _requests(_events(customers, 100, seed=12), 100)[0]
        proc, address = serve("directory,ingest", root / "rss", database_url)
        try:
            metadata = (("authorization", f"Bearer {secret}"),)
            with grpc.insecure_channel(address, options=[("grpc.max_send_message_length", 64 << 20)]) as channel:
                from partneros.ingest.v1 import ingest_pb2_grpc

                stub = ingest_pb2_grpc.IngestServiceStub(channel)
                stub.IngestEvents(warm, metadata=metadata)
                before = _peak_rss_mib(proc.pid)
                start = time.perf_counter()
                response = stub.IngestEvents(big, metadata=metadata)
                big_seconds = time.perf_counter() - start
                after = _peak_rss_mib(proc.pid)
        finally:
            proc.terminate()
            proc.wait(30)
        if response.accepted_count != BIG_BATCH:
            raise RuntimeError(f"10k batch: {response.accepted_count} accepted")

    print(f"events: {N_EVENTS - 2 * BATCH} timed per run, batches of {BATCH}, {N_CUSTOMERS} customers, "
          f"{RUNS} runs, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d}")
    for name, runs in rates.items():
        ratios = sorted(rail / raw for rail, raw in runs)
        print(f"{name:18s}: IngestEvents {_span([rail for rail, _ in runs])} events/s, "
              f"raw_insert {_span([raw for _, raw in runs])} events/s, ratio median {statistics.median(ratios):.2f} "
              f"(runs {', '.join(f'{r:.2f}' for r in ratios)})   (target >= 0.5)")
    if FLIGHT_RUNS:
        _print_flights(flights)
    print(f"10,000-event batch     : {big_seconds * 1000:10.0f} ms; ingest process peak RSS {before:.0f} MiB "
          f"before, {after:.0f} MiB after (+{after - before:.0f} MiB)")


def _print_flights(flights: dict[int, list[tuple[float, float]]]) -> None:
    one, one_raw = (statistics.median(rates[i] for rates in flights[1]) for i in (0, 1))
    for k in IN_FLIGHT:
        many, many_raw = (statistics.median(rates[i] for rates in flights[k]) for i in (0, 1))
        print(f"{k} batches in flight (native, JSON text, one tenant, medians of {FLIGHT_RUNS} runs): "
              f"IngestEvents {many:,.0f} events/s ({many / one:.2f}x its rate with 1 in flight), raw_insert from "
              f"{k} clients {many_raw:,.0f} events/s ({many_raw / one_raw:.2f}x), ratio {many / many_raw:.2f}")


def _span(values: list[float]) -> str:
    return f"{min(values):7,.0f}-{max(values):7,.0f}" if len(values) > 1 else f"{values[0]:7,.0f}"


if __name__ == "__main__":
    main()
