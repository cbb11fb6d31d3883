"""Run the gateway's ASGI app under uvicorn on its own thread and event loop.

The socket is bound before the thread starts, so port 0 works and the bound port is known at
once; stopping wakes the loop immediately instead of waiting for uvicorn's polling tick.
"""
from __future__ import annotations

import asyncio
import logging
import socket
import threading
from typing import Any

import uvicorn

__all__ = ["HttpServer"]

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    """uvicorn's server, woken by an event rather than a 100 ms poll."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.wake: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self.wake = asyncio.Event()
        counter = 0
        while not self.should_exit:
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=1.0)
            except asyncio.TimeoutError:
                pass
            counter += 10  # on_tick refreshes the Date header every 10 ticks
            if await self.on_tick(counter):
                break

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """With nothing in flight, close at once (uvicorn always waits 100 ms first)."""
        if self.server_state.connections or self.server_state.tasks:
            await super().shutdown(sockets)
            return
        for server in self.servers:
            server.close()
        for server in self.servers:
            await server.wait_closed()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say they are TCP.
    # Without it, a keep-alive client waits ~40 ms per request (Nagle against delayed ACKs).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class HttpServer:
    """An ASGI app served on host:port (0 picks a free port) until stop()."""

    def __init__(self, app: Any, host: str, port: int) -> None:
        self.socket = _bind(host, port)
        self.host, self.port = host, self.socket.getsockname()[1]
        config = uvicorn.Config(app, lifespan="off", http="httptools", loop="asyncio", log_level="warning",
                                access_log=False, server_header=False, timeout_graceful_shutdown=5)
        self._server = _Server(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"gateway-http-{self.port}", daemon=True)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self, timeout: float = 10.0) -> "HttpServer":
        self._thread.start()
        if not self._started.wait(timeout) or not self._server.started:
            raise RuntimeError(f"the HTTP gateway did not start on {self.url}")
        log.info("HTTP gateway listening on %s", self.url)
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)

        async def serve() -> None:
            task = asyncio.ensure_future(self._server.serve(sockets=[self.socket]))
            while not self._server.started and not task.done():
                await asyncio.sleep(0.005)
            self._started.set()
            await task

        try:
            loop.run_until_complete(serve())
        finally:
            self._started.set()
            loop.close()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop accepting, finish in-flight requests (up to the graceful timeout), free the port."""
        self._server.should_exit = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            def wake() -> None:
                if self._server.wake is not None:
                    self._server.wake.set()
            try:
                loop.call_soon_threadsafe(wake)
            except RuntimeError:  # the loop closed meanwhile
                pass
        self._thread.join(timeout)
        self.socket.close()
