"""The gateway's ASGI application.

API paths (any path under a first segment some http rule starts with, e.g. /v1/...) go through a
lean transcoding handler; everything else (health, OpenAPI, docs, the web UI's static files at
"/") through a small Starlette app. Limits are checked in order, each before anything costlier:
route -> rate limit -> credentials present -> body size -> JSON -> upstream call with deadline.
"""
from __future__ import annotations

import logging
import pathlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
import orjson
from google.protobuf.message import Message
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route as StarletteRoute
from starlette.staticfiles import StaticFiles

from libs.auth.bearer import bearer_token
from services.gateway import docs
from services.gateway.comments import comments
from services.gateway.config import GatewayConfig
from services.gateway.errors import HttpError, from_rpc_error, gateway_error
from services.gateway.limits import RateLimiter, rate_key
from services.gateway.openapi import build_openapi
from services.gateway.routes import Route, Router, build_routes
from services.gateway.transcode import TranscodeError, build_request, encode_response
from services.gateway.upstream import NotConfigured, Upstreams

__all__ = ["Gateway", "STATIC_DIR"]

log = logging.getLogger(__name__)

STATIC_DIR = pathlib.Path(__file__).resolve().parent / "static"
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
_JSON = (b"content-type", b"application/json")
C = grpc.StatusCode


class _Disconnected(Exception):
    """The client went away before its request was read."""


class Gateway:
    """HTTP/JSON in front of the upstream services, routes derived from their descriptors."""

    def __init__(self, upstreams: Upstreams, config: GatewayConfig | None = None, *,
                 static_dir: pathlib.Path = STATIC_DIR) -> None:
        self.config = config or GatewayConfig()
        self.upstreams = upstreams
        self.routes = build_routes(upstreams.services)
        self.router = Router(self.routes)
        self.limiter = RateLimiter(self.config.rate_per_second, self.config.rate_burst,
                                   max_keys=self.config.rate_max_keys)
        self._openapi: bytes | None = None
        self.site = Starlette(routes=[
            StarletteRoute("/healthz", self._healthz, methods=["GET"]),
            StarletteRoute("/readyz", self._readyz, methods=["GET"]),
            StarletteRoute("/openapi.json", self._openapi_json, methods=["GET"]),
            StarletteRoute("/docs", self._docs, methods=["GET"]),
            StarletteRoute("/docs/init.js", self._docs_init, methods=["GET"]),
            StarletteRoute("/docs/assets/{name}", self._docs_asset, methods=["GET"]),
            Mount("/", app=StaticFiles(directory=static_dir, html=True, check_dir=False)),
        ])

    # ------------------------------------------------------------------ ASGI entry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.router.handles(scope["path"]):
            await self._api(scope, receive, send)
        else:
            await self.site(scope, receive, send)

    # ------------------------------------------------------------------ the API

    async def _api(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        upstream = [0.0]  # seconds spent waiting for the service
        try:
            status, body, headers = 200, await self._transcode(scope, receive, upstream), {}
        except HttpError as err:
            status, body, headers = err.http_status, err.body(), err.headers
            if status >= 500:
                log.warning("%s %s -> %d %s", scope["method"], scope["path"], status, err.message)
        except _Disconnected:
            return
        except Exception:  # a fault of the gateway itself: the same error shape, nothing internal
            log.exception("%s %s failed in the gateway", scope["method"], scope["path"])
            error = gateway_error(500, C.INTERNAL, "internal error", reason="INTERNAL")
            status, body, headers = error.http_status, error.body(), error.headers
        total = time.perf_counter() - started
        # Server-Timing: where a request's time went (the gateway's own work vs the service's answer)
        timing = f"gateway;dur={(total - upstream[0]) * 1000:.2f}, upstream;dur={upstream[0] * 1000:.2f}"
        raw_headers = [_JSON, (b"content-length", str(len(body)).encode()), (b"server-timing", timing.encode())]
        raw_headers += [(k.encode(), v.encode()) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

    async def _transcode(self, scope: Scope, receive: Receive, upstream: list[float]) -> bytes:
        route, variables, headers, token = self._admit(scope)
        body = await self._read_body(headers, receive)
        encoding = headers.get("content-encoding", "").strip().lower()
        if body and encoding not in ("", "identity"):
            raise gateway_error(415, C.INVALID_ARGUMENT, f"request bodies are read uncompressed; Content-Encoding "
                                f"{encoding!r} is not supported", reason="UNSUPPORTED_CONTENT_ENCODING",
                                content_encoding=encoding)
        if body and not _is_json(headers.get("content-type")):
            raise gateway_error(415, C.INVALID_ARGUMENT, "request body must be application/json",
                                reason="UNSUPPORTED_MEDIA_TYPE", content_type=headers.get("content-type", ""))
        try:
            request = build_request(route, variables, scope.get("query_string", b""), body)
        except TranscodeError as exc:
            metadata = {"field": exc.field} if exc.field else {}
            raise gateway_error(400, C.INVALID_ARGUMENT, exc.message, reason=exc.reason, **metadata) from None
        response = await self._call(route, request, token, upstream)
        return encode_response(route, response)

    def _admit(self, scope: Scope) -> tuple[Route, dict[str, str], dict[str, str], str | None]:
        """The route, its path variables, the headers and the bearer token, once route, rate and
        credentials allow it."""
        raw_path = scope.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else scope["path"]
        # HEAD is GET without the body (RFC 9110 section 9.3.2): routed, admitted and answered alike.
        method = "GET" if scope["method"] == "HEAD" else scope["method"]
        route, variables, allowed = self.router.find(method, path)
        if route is None:
            if allowed:
                raise gateway_error(405, C.UNIMPLEMENTED, f"{scope['method']} is not allowed on {scope['path']}",
                                    reason="METHOD_NOT_ALLOWED", headers={"allow": ", ".join(allowed)},
                                    allowed=", ".join(allowed))
            raise gateway_error(404, C.NOT_FOUND, f"no API route {scope['path']}", reason="ROUTE_NOT_FOUND",
                                path=scope["path"])
        headers = _headers(scope)
        token = bearer_token(headers.get("authorization"))
        client = scope.get("client")
        wait = self.limiter.acquire(rate_key(token, client[0] if client else None))
        if wait:
            retry = RateLimiter.retry_after(wait)
            raise gateway_error(429, C.RESOURCE_EXHAUSTED, f"rate limit exceeded; retry in {retry} s",
                                reason="RATE_LIMITED", headers={"retry-after": retry}, retry_after_seconds=retry)
        if route.permission and token is None:
            raise gateway_error(401, C.UNAUTHENTICATED, "missing or malformed bearer credentials: send "
                                "Authorization: Bearer <token>", reason="CREDENTIALS_MISSING",
                                headers={"www-authenticate": "Bearer"})
        return route, variables, headers, token

    async def _call(self, route: Route, request: Message, token: str | None,
                    upstream: list[float]) -> Message:
        """The service's answer, the caller's bearer token forwarded; its failure as an HttpError."""
        metadata = (("authorization", f"Bearer {token}"),) if token else ()
        called = time.perf_counter()
        try:
            return await self.upstreams.call(route, request, metadata=metadata, timeout=self.config.timeout_seconds)
        except grpc.RpcError as err:
            error = from_rpc_error(err)
            if error.http_status == 401:
                error.headers.setdefault("www-authenticate", "Bearer")
            raise error from None
        except NotConfigured:
            raise gateway_error(503, C.UNAVAILABLE, f"no address is configured for the {route.upstream} service",
                                reason="UPSTREAM_NOT_CONFIGURED", service=route.upstream) from None
        finally:
            upstream[0] = time.perf_counter() - called

    async def _read_body(self, headers: dict[str, str], receive: Receive) -> bytes:
        limit = self.config.max_body_bytes
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise _too_large(limit)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Disconnected
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    # ------------------------------------------------------------------ the site

    async def _healthz(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def _readyz(self, request: Request) -> Response:
        states = await self.upstreams.health(self.config.health_timeout_seconds)
        configured = {k: v for k, v in states.items() if v != "NOT_CONFIGURED"}
        ready = bool(configured) and all(v == "SERVING" for v in configured.values())
        return JSONResponse({"status": "ready" if ready else "not ready", "services": states},
                            status_code=200 if ready else 503)

    def openapi_document(self) -> bytes:
        if self._openapi is None:
            self._openapi = orjson.dumps(build_openapi(self.routes, comments()))
        return self._openapi

    async def _openapi_json(self, request: Request) -> Response:
        return Response(self.openapi_document(), media_type="application/json")

    async def _docs(self, request: Request) -> Response:
        return Response(docs.DOCS_HTML, media_type="text/html")

    async def _docs_init(self, request: Request) -> Response:
        return Response(docs.DOCS_INIT_JS, media_type="text/javascript")

    async def _docs_asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in docs.ASSETS:  # only what the page uses (the package also ships a demo page)
            return JSONResponse({"error": "not found"}, status_code=404)
        return FileResponse(docs.assets_dir() / name, media_type=docs.ASSETS[name],
                            headers={"cache-control": "public, max-age=86400"})


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _too_large(limit: int) -> HttpError:
    return gateway_error(413, C.RESOURCE_EXHAUSTED, f"request body larger than {limit} bytes",
                         reason="BODY_TOO_LARGE", limit_bytes=limit)
