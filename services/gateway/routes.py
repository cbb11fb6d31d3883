"""The route table, derived from the google.api.http rule of every method of every service.

No route is written by hand: each rule (and its additional_bindings) becomes one Route with its
path template, which request fields come from the path, the body and the query string.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from google.api import annotations_pb2, http_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor, MethodDescriptor, ServiceDescriptor
from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass

from services.gateway.httprule import PathTemplate, parse_template
from services.gateway.wkt import WRAPPERS

__all__ = ["Route", "QueryParam", "build_routes", "Router", "resolve_field_path"]

_SCALAR_MESSAGES = {"google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask", *WRAPPERS}
_NOT_IN_QUERY = {"google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue",
                 "google.protobuf.Any", "google.protobuf.Empty"}
_MAX_QUERY_DEPTH = 4


@dataclass(frozen=True)
class QueryParam:
    """One leaf field reachable from the query string, e.g. level.kind."""

    path: tuple[FieldDescriptor, ...]

    @property
    def leaf(self) -> FieldDescriptor:
        return self.path[-1]

    @property
    def name(self) -> str:
        """The documented (lowerCamel) name."""
        return ".".join(f.json_name for f in self.path)

    @property
    def proto_name(self) -> str:
        return ".".join(f.name for f in self.path)

    @property
    def repeated(self) -> bool:
        return self.leaf.is_repeated


def resolve_field_path(message: Descriptor, dotted: str) -> tuple[FieldDescriptor, ...]:
    """'metric.id' -> the field descriptors along the path (ValueError if any is missing)."""
    out, current = [], message
    for part in dotted.split("."):
        if current is None or part not in current.fields_by_name:
            raise ValueError(f"{message.full_name} has no field path {dotted!r}")
        f = current.fields_by_name[part]
        out.append(f)
        current = f.message_type if f.type == FieldDescriptor.TYPE_MESSAGE else None
    return tuple(out)


def _query_leaves(message: Descriptor, excluded: set[str], prefix: tuple[FieldDescriptor, ...] = ()
                  ) -> list[QueryParam]:
    out: list[QueryParam] = []
    for f in message.fields:
        path = (*prefix, f)
        dotted = ".".join(p.name for p in path)
        if dotted in excluded:
            continue
        if f.type != FieldDescriptor.TYPE_MESSAGE:
            out.append(QueryParam(path))
            continue
        name = f.message_type.full_name
        if f.message_type.GetOptions().map_entry or name in _NOT_IN_QUERY:
            continue
        if name in _SCALAR_MESSAGES:
            out.append(QueryParam(path))
        elif not f.is_repeated and len(path) < _MAX_QUERY_DEPTH and f.message_type not in [p.containing_type for p in path]:
            out.extend(_query_leaves(f.message_type, excluded, path))
    return out


@dataclass(frozen=True, eq=False)
class Route:
    """One HTTP binding of one RPC."""

    http_method: str
    template: PathTemplate
    upstream: str  # the service plugin serving it (HostContext.channel name)
    service: ServiceDescriptor
    method: MethodDescriptor
    body: str  # "" (no body), "*" (whole request) or a top-level field name
    response_body: str
    permission: str | None
    path_fields: dict[str, tuple[FieldDescriptor, ...]] = field(default_factory=dict)

    @property
    def rpc_path(self) -> str:
        return f"/{self.service.full_name}/{self.method.name}"

    @cached_property
    def request_class(self) -> type[Message]:
        return GetMessageClass(self.method.input_type)

    @cached_property
    def response_class(self) -> type[Message]:
        return GetMessageClass(self.method.output_type)

    @cached_property
    def query_params(self) -> dict[str, QueryParam]:
        """Accepted query names (lowerCamel and original) -> parameter; empty when body is '*'."""
        if self.body == "*":
            return {}
        excluded = set(self.path_fields) | ({self.body} if self.body else set())
        out: dict[str, QueryParam] = {}
        for param in _query_leaves(self.method.input_type, excluded):
            out[param.name] = param
            out[param.proto_name] = param
        return out

    @property
    def body_field(self) -> FieldDescriptor | None:
        if self.body in ("", "*"):
            return None
        return self.method.input_type.fields_by_name[self.body]


def _bindings(rule: http_pb2.HttpRule) -> Iterable[http_pb2.HttpRule]:
    yield rule
    for extra in rule.additional_bindings:
        yield extra


def _method_and_path(rule: http_pb2.HttpRule) -> tuple[str, str]:
    kind = rule.WhichOneof("pattern")
    if kind is None:
        raise ValueError("http rule without a pattern")
    if kind == "custom":
        return rule.custom.kind.upper(), rule.custom.path
    return kind.upper(), getattr(rule, kind)


def build_routes(services: Iterable[tuple[str, ServiceDescriptor]]) -> list[Route]:
    """Every binding of every annotated method of `services` ((upstream name, descriptor) pairs)."""
    from partneros.common.v1 import auth_pb2

    routes: list[Route] = []
    for upstream, service in services:
        for method in service.methods:
            options = method.GetOptions()
            if not options.HasExtension(annotations_pb2.http):
                continue
            permission = options.Extensions[auth_pb2.auth].permission or None
            for rule in _bindings(options.Extensions[annotations_pb2.http]):
                verb, path = _method_and_path(rule)
                template = parse_template(path)
                path_fields = {v: resolve_field_path(method.input_type, v) for v in template.variables}
                if rule.body not in ("", "*"):
                    resolve_field_path(method.input_type, rule.body)
                routes.append(Route(
                    http_method=verb, template=template, upstream=upstream, service=service, method=method,
                    body=rule.body, response_body=rule.response_body, permission=permission,
                    path_fields=path_fields,
                ))
    return routes


class Router:
    """Finds the route of (method, path); verbs and literal-rich templates win ties."""

    def __init__(self, routes: list[Route]) -> None:
        self.routes = sorted(routes, key=lambda r: (not r.template.verb, -r.template.literal_count))
        self.prefixes = frozenset(r.template.first_segment for r in routes)

    def handles(self, path: str) -> bool:
        """Whether `path` belongs to the API (its first segment starts some template)."""
        return path.lstrip("/").split("/", 1)[0].split(":", 1)[0] in self.prefixes

    def find(self, http_method: str, path: str) -> tuple[Route | None, dict[str, str], list[str]]:
        """(route, path variables, allowed methods when only the method did not match)."""
        allowed: list[str] = []
        for route in self.routes:
            variables = route.template.match(path)
            if variables is None:
                continue
            if route.http_method == http_method:
                return route, variables, []
            allowed.append(route.http_method)
        return None, {}, sorted(set(allowed))
