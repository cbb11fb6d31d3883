"""Run every benchmark module's `main()`: `python -m bench [name ...]` (default: all)."""
from __future__ import annotations

import importlib
import sys

# Benchmark modules, in run order. Add yours here.
BENCHMARKS = ["bench.ingest", "bench.metrics", "bench.dashboards", "bench.gateway"]


def main(argv: list[str]) -> None:
    chosen = [m for m in BENCHMARKS if not argv or m.rsplit(".", 1)[-1] in argv]
    for name in chosen:
        print(f"== {name}", flush=True)
        importlib.import_module(name).main()


if __name__ == "__main__":
    main(sys.argv[1:])
