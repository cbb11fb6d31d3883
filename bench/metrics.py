"""Metrics engine benchmark on generated events in the embedded engine (chDB).

- events: BENCH_METRICS_EVENTS (default 10,000,000) generated inside ClickHouse with numbers(),
  one tenant, 100 partners (10 distributors with 9 resellers each), 20,000 customers, one year;
- rows read: a partner-scoped daily time series, rows read / that partner's rows (the
  distributor's subtree, 10% of the events). Target <= 2. chDB's query summary reports the rows
  of the result, not the rows read, so rows read are taken from the engine's own counter
  (system.events SelectedRows, before and after the query, less the counter query itself);
- gRPC overhead: QueryMetric over gRPC / the same compiled SQL run directly on the engine, for
  count, sum and unique at partner and all-partner level, median of BENCH_METRICS_RUNS rounds
  (each round runs both, back to back). Target <= 1.3. The metrics service runs as its own
  process (`partneros serve --services metrics`, as deployed); chDB lets one process own a data
  path, so the same events are generated twice, deterministically: once into the server's
  path (by a helper process) and once into this process's path for the direct runs; both are
  then merged to one part (OPTIMIZE ... FINAL) so the two engines hold identical layouts;
- the service also reports the engine time it spent (trailing metadata x-partneros-engine-ms),
  which tells the engine's share of a QueryMetric call from the service's own overhead;
- DuckDB: the same metrics computed by DuckDB over a Parquet export of the same events;
  reported as QueryMetric / DuckDB;
- also reported, on the freshly inserted (unmerged) parts: what reading with FINAL would cost
  (the compiler does not use it: ingest stores each event once).
Run: `.venv/bin/python -m bench metrics` (or `make bench`).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from bench.serve import serve

N_EVENTS = int(os.environ.get("BENCH_METRICS_EVENTS", "10000000"))
RUNS = int(os.environ.get("BENCH_METRICS_RUNS", "15"))
CHUNK = 1_000_000
N_PARTNERS, N_CUSTOMERS = 100, 20_000
ZONE = "Europe/Berlin"
YEAR_START = 1735689600  # 2025-01-01T00:00:00Z
AS_OF = dt.datetime(2025, 12, 31, 23, tzinfo=dt.timezone.utc)  # 2026-01-01 00:00 in Berlin
RESULTS = pathlib.Path(__file__).resolve().parent / "results"
METRICS = {
    "count": dict(name="Usage events", aggregation="count", event_names=["usage"]),
    "sum": dict(name="Revenue", aggregation="sum", field="amount", event_names=["purchase"]),
    "unique": dict(name="Active customers", aggregation="unique", event_names=["usage"]),
}


def _world(engine):  # noqa: ANN001, ANN202 - (tenant id, admin token, partner ids)
    from sqlalchemy.orm import Session

    from libs.identity import models as m
    from services.directory.bootstrap import create_tenant

    boot = create_tenant(engine, name="Bench", admin_email="bench@example.com", time_zone=ZONE)
    partners = [f"ptn_bench{i:03d}" for i in range(N_PARTNERS)]
    with Session(engine) as s, s.begin():
        for i, pid in enumerate(partners):  # i % 10 == 0: distributor; others: its resellers
            parent = None if i % 10 == 0 else partners[i - i % 10]
            s.add(m.Partner(id=pid, tenant_id=boot.tenant_id, name=f"Partner {i:03d}", parent_id=parent))
            s.flush()
    return boot.tenant_id, boot.token, partners


def _generate(client, tenant_id: str, partners: list[str]) -> float:  # noqa: ANN001
    """Insert N_EVENTS events in chunks; returns seconds. The SQL is the benchmark's own, with
    generated ids only (no outside input)."""
    plist = ", ".join(f"'{p}'" for p in partners)
    tiers = "['free','pro','enterprise'][h % 3 + 1]"
    started = time.perf_counter()
    for offset in range(0, N_EVENTS, CHUNK):
        size = min(CHUNK, N_EVENTS - offset)
        client.command(f"""
        INSERT INTO events (tenant_id, partner_id, customer_id, event_id, name, ts, received_at, source, properties)
        SELECT '{tenant_id}', [{plist}][c % {N_PARTNERS} + 1], concat('cus_', toString(c)),
               concat('e', toString(number)), nm, t, t, 'api',
               multiIf(nm = 'purchase',
                       concat('{{"amount":', if(h % 100 = 0, '"n/a"', toString(round((h % 100000) / 100, 2))),
                              ',"currency":"EUR","seats":', toString(h % 40 + 1), ',"plan":{{"tier":"', {tiers}, '"}}}}'),
                       nm = 'usage',
                       concat('{{"feature":"', ['api','reports','export','billing'][h % 4 + 1], '","duration_s":',
                              toString(h % 3600), ',"plan":{{"tier":"', {tiers}, '"}}}}'),
                       concat('{{"seats":', toString(h % 40 + 1), ',"plan":{{"tier":"', {tiers}, '"}}}}'))
        FROM (
          SELECT number, cityHash64(number, 1) AS h, cityHash64(number, 2) % {N_CUSTOMERS} AS c,
                 ['usage','usage','usage','usage','usage','usage','usage','purchase','purchase','activation']
                   [cityHash64(number, 3) % 10 + 1] AS nm,
                 toDateTime64({YEAR_START} + (cityHash64(number, 4) % 31536000000) / 1000, 3, 'UTC') AS t
          FROM numbers({offset}, {size})
        )""")
    return time.perf_counter() - started


def _selected_rows(client) -> int:  # noqa: ANN001
    return int(client.query("SELECT value FROM system.events WHERE event = 'SelectedRows'").result_rows[0][0])


def _rows_read(pool, sql: str, params: dict) -> int:  # noqa: ANN001
    """Rows the engine read for one run of `sql` (nothing else runs meanwhile)."""
    with pool.client() as client:
        first, second = _selected_rows(client), _selected_rows(client)
        own = second - first  # what reading the counter costs
        before = _selected_rows(client)
        client.query(sql, parameters=params)
        return _selected_rows(client) - before - own


def _engine_seconds(call) -> float:  # noqa: ANN001
    """The engine time the service reports in its trailing metadata."""
    from services.metrics.execute import ENGINE_TIME_KEY

    return float(dict(call.trailing_metadata())[ENGINE_TIME_KEY]) / 1000


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def _request(metric_id: str, level):  # noqa: ANN001, ANN202
    from partneros.common.v1 import window_pb2
    from partneros.metrics.v1 import metrics_pb2 as pb

    request = pb.QueryMetricRequest(metric_id=metric_id, grain=window_pb2.GRAIN_DAY, window=window_pb2.Window(
        period=window_pb2.PERIOD_MONTH, mode=window_pb2.WINDOW_MODE_TRAILING, count=3))
    request.as_of_time.FromDatetime(AS_OF)
    if level is not None:
        request.level.CopyFrom(level)
    return request


def _duckdb_sql(kind: str, partners: list[str] | None) -> str:
    measure = {"count": "count(*)", "unique": "count(DISTINCT customer_id)",
               "sum": "coalesce(sum(TRY_CAST(json_extract(properties, '$.amount') AS DOUBLE)) FILTER "
                      "(WHERE json_type(properties, '$.amount') IN ('DOUBLE', 'UBIGINT', 'BIGINT')), 0)"}[kind]
    name = "purchase" if kind == "sum" else "usage"
    scope = "" if partners is None else "AND partner_id IN (" + ", ".join(f"'{p}'" for p in partners) + ")"
    return f"""
    SELECT CAST(timezone('{ZONE}', ts) AS DATE) AS bucket, {measure} AS value
    FROM read_parquet($path)
    WHERE tenant_id = $tenant {scope} AND name = '{name}' AND ts >= $start AND ts < $end
    GROUP BY GROUPING SETS ((), (bucket))"""


def generate_into(dsn: str, tenant_id: str, partners: list[str]) -> None:
    """Entry of the helper process that fills the server's data path."""
    from libs.clickhouse import ensure_schema, make_client

    client = make_client(dsn)
    ensure_schema(client)
    _generate(client, tenant_id, partners)
    client.command("OPTIMIZE TABLE events FINAL")
    client.close()


def _spawn_generator(dsn: str, tenant_id: str, partners: list[str]) -> subprocess.Popen:
    code = f"from bench.metrics import generate_into; generate_into({dsn!r}, {tenant_id!r}, {partners!r})"
    return subprocess.Popen([sys.executable, "-c", code], cwd=pathlib.Path(__file__).resolve().parents[1])


def main() -> None:
    import duckdb
    import grpc
    from partneros.common.v1 import level_pb2
    from partneros.metrics.v1 import metrics_pb2 as pb
    from partneros.metrics.v1 import metrics_pb2_grpc

    from libs.clickhouse import ClientPool
    from libs.identity.authenticate import Authenticator
    from libs.store import make_engine, migrate
    from services.metrics.execute import run
    from services.metrics.query_metric import compile_plan, plan_metric_query

    workdir = pathlib.Path(tempfile.mkdtemp(prefix="bench-metrics-"))
    database_url = f"sqlite:///{workdir / 'store.sqlite3'}"
    engine = make_engine(database_url)
    migrate(engine)
    tenant_id, token, partners = _world(engine)
    served_dsn, direct_dsn = f"chdb://{workdir / 'served'}", f"chdb://{workdir / 'direct'}"
    helper = _spawn_generator(served_dsn, tenant_id, partners)
    pool = ClientPool(direct_dsn, size=2)
    with pool.client() as client:
        from libs.clickhouse import ensure_schema

        ensure_schema(client)
        seconds = _generate(client, tenant_id, partners)
        parts = client.query("SELECT count() FROM system.parts WHERE table = 'events' AND active").result_rows[0][0]
    print(f"generated {N_EVENTS:,} events in {seconds:.1f} s ({parts} parts)", flush=True)
    final_cost = _final_cost(pool, engine, tenant_id, token, partners)
    with pool.client() as client:
        client.command("OPTIMIZE TABLE events FINAL")
    if helper.wait() != 0:
        raise RuntimeError("the generator process failed")
    server, address = serve("metrics", workdir / "server", database_url, "--no-migrate",
                            PARTNEROS_CLICKHOUSE_DSN=served_dsn)
    try:
        metadata = (("authorization", f"Bearer {token}"),)
        principal = Authenticator(engine)(token)
        subtree = partners[:10]  # distributor 0 and its nine resellers
        levels = {"partner": level_pb2.Level(kind=level_pb2.LEVEL_KIND_PARTNER, id=partners[0]), "all": None}
        with pool.client() as client:
            partner_rows = client.query("SELECT count() FROM events WHERE tenant_id = {t:String} AND partner_id IN "
                                        "{p:Array(String)}", parameters={"t": tenant_id, "p": subtree}).result_rows[0][0]
        parquet = workdir / "events.parquet"
        with pool.client() as client:
            client.command(f"INSERT INTO FUNCTION file('{parquet}', 'Parquet') SELECT tenant_id, partner_id, "
                           f"customer_id, event_id, name, ts, properties FROM events ORDER BY tenant_id, partner_id, "
                           f"name, ts SETTINGS engine_file_truncate_on_insert = 1")
        duck = duckdb.connect()
        duck.execute("SET TimeZone = 'UTC'")
        results: list[dict] = []
        with grpc.insecure_channel(address, options=[("grpc.max_receive_message_length", 64 << 20)]) as channel:
            stub = metrics_pb2_grpc.MetricsServiceStub(channel)
            ids = {k: stub.CreateMetric(pb.CreateMetricRequest(metric=pb.Metric(**spec)), metadata=metadata).id
                   for k, spec in METRICS.items()}
            for kind, metric_id in ids.items():
                for level_name, level in levels.items():
                    request = _request(metric_id, level)
                    plan, _ = plan_metric_query(engine, principal, request)
                    sql, params = compile_plan(plan)
                    dparams = {"path": str(parquet), "tenant": tenant_id, "start": plan.window.start,
                               "end": plan.window.end}
                    dsql = _duckdb_sql(kind, subtree if level_name == "partner" else None)
                    run(pool, sql, params)
                    stub.QueryMetric(request, metadata=metadata)
                    duck.execute(dsql, dparams).fetchall()
                    direct, over_grpc, in_service, in_duckdb = [], [], [], []
                    for _ in range(RUNS):
                        t = time.perf_counter()
                        run(pool, sql, params)
                        direct.append(time.perf_counter() - t)
                        t = time.perf_counter()
                        answer, call = stub.QueryMetric.with_call(request, metadata=metadata)
                        over_grpc.append(time.perf_counter() - t)
                        in_service.append(_engine_seconds(call))
                        t = time.perf_counter()
                        duck_rows = duck.execute(dsql, dparams).fetchall()
                        in_duckdb.append(time.perf_counter() - t)
                    duck_total = next(v for b, v in duck_rows if b is None)
                    read_rows = _rows_read(pool, sql, params)
                    row = {
                        "metric": kind, "level": level_name, "value": answer.value, "duckdb_value": float(duck_total),
                        "buckets": len(answer.buckets), "read_rows": read_rows,
                        "direct_ms": _median_ms(direct), "grpc_ms": _median_ms(over_grpc),
                        "service_engine_ms": _median_ms(in_service),
                        "duckdb_ms": _median_ms(in_duckdb),
                    }
                    row["grpc_over_direct"] = round(row["grpc_ms"] / row["direct_ms"], 3)
                    row["grpc_over_duckdb"] = round(row["grpc_ms"] / row["duckdb_ms"], 3)
                    if level_name == "partner":
                        row["partner_rows"] = partner_rows
                        row["read_over_partner_rows"] = round(read_rows / partner_rows, 3)
                    results.append(row)
                    print(json.dumps(row), flush=True)
            results += _event_list(stub, metadata, engine, pool, principal, levels)
        summary = {"events": N_EVENTS, "runs": RUNS, "generate_s": round(seconds, 1), "parts": parts,
                   "final_cost_unmerged": final_cost,
                   "cpus": os.cpu_count(), "results": results}
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "metrics.json").write_text(json.dumps(summary, indent=2))
        _print_table(summary)
    finally:
        server.terminate()
        server.wait(timeout=30)
        pool.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _final_cost(pool, engine, tenant_id: str, token: str, partners: list[str]) -> dict:  # noqa: ANN001
    """Time of the count series with FINAL / without, at both levels, on the unmerged parts."""
    from libs.identity.authenticate import Authenticator
    from partneros.common.v1 import level_pb2

    from services.metrics.execute import run
    from services.metrics.query_metric import compile_plan, plan_metric_query
    from services.metrics import store
    from services.metrics.definitions import MetricDefinition

    metric = store.create(engine, tenant_id, MetricDefinition(name="FINAL probe", aggregation="count",
                                                              event_names=("usage",)))
    principal = Authenticator(engine)(token)
    out = {}
    for name, level in (("partner", level_pb2.Level(kind=level_pb2.LEVEL_KIND_PARTNER, id=partners[0])),
                        ("all", None)):
        sql, params = compile_plan(plan_metric_query(engine, principal, _request(metric.id, level))[0])
        final_sql = sql.replace("FROM events", "FROM events FINAL", 1)
        plain, final = [], []
        for _ in range(RUNS):
            t = time.perf_counter()
            run(pool, sql, params)
            plain.append(time.perf_counter() - t)
            t = time.perf_counter()
            run(pool, final_sql, params)
            final.append(time.perf_counter() - t)
        out[name] = {"plain_ms": _median_ms(plain), "final_ms": _median_ms(final),
                     "ratio": round(statistics.median(final) / statistics.median(plain), 2)}
    store.remove(engine, tenant_id, metric.id)
    print("FINAL on unmerged parts:", json.dumps(out), flush=True)
    return out


def _event_list(stub, metadata, engine, pool, principal, levels: dict) -> list[dict]:  # noqa: ANN001
    """The first page (50 events) of the event list, over gRPC and as compiled SQL."""
    from partneros.metrics.v1 import metrics_pb2 as pb

    from services.metrics.execute import run
    from services.metrics.query_events import compile_events, plan_events_query

    out = []
    for level_name, level in levels.items():
        request = pb.QueryEventsRequest(page_size=50)
        if level is not None:
            request.level.CopyFrom(level)
        sql, params = compile_events(plan_events_query(engine, principal, request))
        run(pool, sql, params)
        stub.QueryEvents(request, metadata=metadata)
        direct, over_grpc = [], []
        for _ in range(RUNS):
            t = time.perf_counter()
            run(pool, sql, params)
            direct.append(time.perf_counter() - t)
            t = time.perf_counter()
            stub.QueryEvents(request, metadata=metadata)
            over_grpc.append(time.perf_counter() - t)
        row = {"metric": "event list", "level": level_name, "direct_ms": _median_ms(direct),
               "grpc_ms": _median_ms(over_grpc)}
        row["grpc_over_direct"] = round(row["grpc_ms"] / row["direct_ms"], 3)
        print(json.dumps(row), flush=True)
        out.append(row)
    return out


def _print_table(summary: dict) -> None:
    print(f"\n{summary['events']:,} events, median of {summary['runs']} rounds, {summary['cpus']} CPUs")
    print("| metric | level | rows read / partner rows | direct ms | QueryMetric ms | engine ms in service "
          "| gRPC / direct | DuckDB ms | QueryMetric / DuckDB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in summary["results"]:
        ratio = r.get("read_over_partner_rows", "")
        print(f"| {r['metric']} | {r['level']} | {ratio} | {r['direct_ms']} | {r['grpc_ms']} | "
              f"{r.get('service_engine_ms', '')} | {r['grpc_over_direct']} | {r.get('duckdb_ms', '')} | {r.get('grpc_over_duckdb', '')} |")
    for level, f in summary["final_cost_unmerged"].items():
        print(f"FINAL on {summary['parts']} unmerged parts, count series at {level} level: {f['final_ms']} ms vs "
              f"{f['plain_ms']} ms without ({f['ratio']}x)")


if __name__ == "__main__":
    main()
