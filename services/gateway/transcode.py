"""HTTP request -> gRPC request message, gRPC response -> JSON body, as a Route says.

Body first (the whole request for body "*", one field otherwise), then query parameters, then
path variables, which win over both (as grpc-gateway does). Everything is merged into one JSON
tree and decoded once, so a large body is converted in a single pass.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import orjson
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from services.gateway.codec import JsonError, decode_scalar_text, from_json, to_json
from services.gateway.fastpath import fast_request
from services.gateway.routes import Route

__all__ = ["build_request", "encode_response", "TranscodeError"]


class TranscodeError(ValueError):
    """The request does not fit the RPC's input: reason and the offending parameter or field."""

    def __init__(self, message: str, *, reason: str, field: str = "") -> None:
        super().__init__(message)
        self.message, self.reason, self.field = message, reason, field


def _put(tree: dict, path: tuple[FieldDescriptor, ...], value: Any, *, append: bool = False) -> None:
    """Set tree[path] (original field names), dropping any lowerCamel spelling of the same field."""
    node = tree
    for f in path[:-1]:
        if f.json_name != f.name and f.json_name in node:
            node[f.name] = node.pop(f.json_name)
        child = node.get(f.name)
        if child is None:
            child = node[f.name] = {}
        elif not isinstance(child, dict):  # e.g. a PATCH body that is not an object: never dropped
            raise TranscodeError(f"{f.json_name} must be a JSON object", reason="INVALID_JSON", field=f.json_name)
        node = child
    leaf = path[-1]
    if leaf.json_name != leaf.name:
        existing = node.pop(leaf.json_name, None)
        if append and existing is not None and leaf.name not in node:
            node[leaf.name] = existing
    if append:
        current = node.get(leaf.name)
        node[leaf.name] = [*current, value] if isinstance(current, list) else [value]
    else:
        node[leaf.name] = value


def _parse_body(route: Route, body: bytes) -> dict:
    if route.body == "":
        if body.strip():
            raise TranscodeError(f"{route.http_method} {route.template.source} takes no request body",
                                 reason="BODY_NOT_ALLOWED")
        return {}
    if not body.strip():
        return {}
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise TranscodeError(f"request body is not valid JSON: {exc}", reason="INVALID_JSON") from None
    if route.body == "*":
        if not isinstance(parsed, dict):
            raise TranscodeError("request body must be a JSON object", reason="INVALID_JSON")
        return parsed
    return {route.body: parsed}


def build_request(route: Route, path_vars: dict[str, str], query_string: bytes | str, body: bytes) -> Message:
    """The request message for `route`, or TranscodeError (a 400) naming what does not fit."""
    tree = _parse_body(route, body)
    if route.body == "*" and not query_string and not path_vars:
        fast = fast_request(route.rpc_path, tree, route.request_class)
        if fast is not None:
            return fast
    if query_string:
        text = query_string.decode("latin-1") if isinstance(query_string, bytes) else query_string
        try:
            pairs = parse_qsl(text, keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise TranscodeError("query string is not valid UTF-8", reason="INVALID_QUERY_PARAMETER") from None
        params = route.query_params
        seen: set[str] = set()
        for key, raw in pairs:
            param = params.get(key)
            if param is None:
                raise TranscodeError(f"unknown query parameter {key!r}", reason="UNKNOWN_QUERY_PARAMETER", field=key)
            try:
                value = decode_scalar_text(param.leaf, raw)
            except JsonError as exc:
                raise TranscodeError(f"query parameter {key!r}: {exc.message}", reason="INVALID_QUERY_PARAMETER",
                                     field=key) from None
            if not param.repeated and param.proto_name in seen:
                raise TranscodeError(f"query parameter {key!r} given more than once", reason="INVALID_QUERY_PARAMETER",
                                     field=key)
            seen.add(param.proto_name)
            _put(tree, param.path, value, append=param.repeated)
    for name, raw in path_vars.items():
        path = route.path_fields[name]
        if not raw.isascii():
            try:
                raw.encode("utf-8")
            except UnicodeEncodeError:  # percent-escapes of bytes that are not UTF-8
                raise TranscodeError(f"path parameter {name!r} is not valid UTF-8", reason="INVALID_PATH_PARAMETER",
                                     field=name) from None
        try:
            value = decode_scalar_text(path[-1], raw)
        except JsonError as exc:
            raise TranscodeError(f"path parameter {name!r}: {exc.message}", reason="INVALID_PATH_PARAMETER",
                                 field=name) from None
        _put(tree, path, value)
    try:
        return from_json(tree, route.request_class)
    except JsonError as exc:
        where = exc.path
        if route.body not in ("", "*") and where.startswith(route.body + "."):
            where = where[len(route.body) + 1:]  # the client wrote the body field's content: name it so
        message = f"invalid request field {where!r}: {exc.message}" if where else f"invalid request: {exc.message}"
        raise TranscodeError(message, reason="INVALID_REQUEST_FIELD", field=where) from None
    except RecursionError:
        raise TranscodeError("request nests too deeply", reason="INVALID_JSON") from None


def encode_response(route: Route, message: Message) -> bytes:
    """The JSON body of `message` (or of its response_body field)."""
    if route.response_body:
        payload = to_json(message).get(route.method.output_type.fields_by_name[route.response_body].json_name)
    else:
        payload = to_json(message)
    return orjson.dumps(payload)
