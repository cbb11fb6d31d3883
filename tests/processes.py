"""Start `partneros serve` as separate processes on loopback ports, for multi-process tests."""
from __future__ import annotations

import os
import pathlib
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["ServiceProcess", "serve", "base_env"]

_SERVING = re.compile(r"partneros: serving \[.*\] on (\S+)")


def base_env(data_dir: pathlib.Path, *, database_url: str, clickhouse_dsn: str | None = None) -> dict[str, str]:
    """Environment of a service process: its own data dir; the SQL store shared by the caller's choice."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNEROS_")}
    env.update(PARTNEROS_DATA_DIR=str(data_dir), PARTNEROS_DATABASE_URL=database_url, PARTNEROS_LOG_LEVEL="WARNING")
    if clickhouse_dsn:
        env["PARTNEROS_CLICKHOUSE_DSN"] = clickhouse_dsn
    return env


class ServiceProcess:
    """A running `partneros serve` child; `address` is where it listens."""

    def __init__(self, proc: subprocess.Popen, address: str) -> None:
        self.proc, self.address = proc, address
        self.output: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)

    def terminate(self, timeout: float = 20) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=20)


def _start(services: str, env: dict[str, str], address: str, timeout: float) -> ServiceProcess:
    cmd = [sys.executable, "-m", "libs.cli", "serve", "--services", services, "--address", address]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline, seen = time.monotonic() + timeout, []
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        match = _SERVING.search(line)
        if match:
            return ServiceProcess(proc, match.group(1))
    proc.kill()
    raise RuntimeError(f"`partneros serve --services {services}` did not start:\n{''.join(seen)}")


@contextmanager
def serve(services: str, env: dict[str, str], *, address: str = "127.0.0.1:0",
          timeout: float = 60) -> Iterator[ServiceProcess]:
    """Run `partneros serve --services <services>` until the block ends (then SIGTERM, then kill)."""
    process = _start(services, env, address, timeout)
    try:
        yield process
    finally:
        try:
            process.terminate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
