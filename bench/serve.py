"""Start `partneros serve` as a separate process for a benchmark, and read the address it serves on."""
from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

__all__ = ["serve"]

_SERVING = re.compile(r"partneros: serving \[.*\] on (\S+)")


def serve(services: str, data_dir: pathlib.Path, database_url: str, *args: str,
          **env_extra: str) -> tuple[subprocess.Popen, str]:
    """(process, address) of `partneros serve --services <services> <args>` on a free loopback port,
    with its own data directory and SQL store; `env_extra` adds PARTNEROS_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNEROS_")}
    env.update(PARTNEROS_DATA_DIR=str(data_dir), PARTNEROS_DATABASE_URL=database_url, PARTNEROS_LOG_LEVEL="WARNING",
               **env_extra)
    proc = subprocess.Popen([sys.executable, "-m", "libs.cli", "serve", "--services", services, *args,
                             "--address", "127.0.0.1:0"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        match = _SERVING.search(line)
        if match:
            return proc, match.group(1)
    raise RuntimeError(f"`serve --services {services}` did not start")
