"""The OpenAPI 3 document, generated from the same routes and descriptors the gateway serves.

Schemas follow the proto3 JSON mapping the gateway speaks: lowerCamel properties, 64-bit integers
as strings, enums by name, Timestamp as date-time, Struct as a free-form object. Descriptions are
the proto comments; OUTPUT_ONLY fields are readOnly, REQUIRED ones required.
"""
from __future__ import annotations

from typing import Any

from google.api import field_behavior_pb2
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor

from services.gateway.routes import QueryParam, Route
from services.gateway.wkt import WRAPPERS

__all__ = ["build_openapi", "openapi_path", "path_parameter_names", "ERROR_SCHEMA"]

_F = FieldDescriptor
_INT32 = {_F.TYPE_INT32, _F.TYPE_SINT32, _F.TYPE_SFIXED32}
_UINT32 = {_F.TYPE_UINT32, _F.TYPE_FIXED32}
_INT64 = {_F.TYPE_INT64, _F.TYPE_SINT64, _F.TYPE_SFIXED64}
_UINT64 = {_F.TYPE_UINT64, _F.TYPE_FIXED64}

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error: the HTTP status, the gRPC status name, a message, and the google.rpc.Status "
                   "details (an ErrorInfo with an UPPER_SNAKE reason and metadata naming the offending values).",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "status", "message", "details"],
        "properties": {
            "code": {"type": "integer", "description": "HTTP status code."},
            "status": {"type": "string", "description": "gRPC status name, e.g. NOT_FOUND."},
            "message": {"type": "string", "description": "What went wrong, for a person."},
            "details": {"type": "array", "items": {
                "type": "object", "properties": {"@type": {"type": "string"}}, "additionalProperties": True}},
        },
    }},
}

_WKT: dict[str, dict[str, Any]] = {
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time",
                                  "description": "RFC 3339 time, e.g. 2026-01-31T12:00:00Z."},
    "google.protobuf.Duration": {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]{1,9})?s$",
                                 "description": "Seconds with an s suffix, e.g. 1.5s."},
    "google.protobuf.FieldMask": {"type": "string", "description": "Comma-separated lowerCamel field paths."},
    "google.protobuf.Struct": {"type": "object", "additionalProperties": True,
                               "description": "Any JSON object."},
    "google.protobuf.Value": {"description": "Any JSON value."},
    "google.protobuf.ListValue": {"type": "array", "items": {}, "description": "Any JSON array."},
    "google.protobuf.Empty": {"type": "object", "additionalProperties": False},
    "google.protobuf.Any": {"type": "object", "properties": {"@type": {"type": "string"}},
                            "additionalProperties": True},
}


def _behaviors(field: FieldDescriptor) -> set[int]:
    return set(field.GetOptions().Extensions[field_behavior_pb2.field_behavior])


class _Builder:
    def __init__(self, comments: dict[str, str]) -> None:
        self.comments = comments
        self.schemas: dict[str, Any] = {}

    def ref(self, name: str) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/{name}"}

    def enum(self, enum: EnumDescriptor) -> dict[str, str]:
        if enum.full_name not in self.schemas:
            lines = [self.comments.get(enum.full_name, "")]
            lines += [f"- {v.name}: {self.comments[f'{enum.full_name}.{v.name}']}" for v in enum.values
                      if f"{enum.full_name}.{v.name}" in self.comments]
            self.schemas[enum.full_name] = {"type": "string", "enum": [v.name for v in enum.values],
                                            "description": "\n".join(x for x in lines if x)}
        return self.ref(enum.full_name)

    def scalar(self, field: FieldDescriptor) -> dict[str, Any]:
        kind = field.type
        if kind == _F.TYPE_STRING:
            return {"type": "string"}
        if kind == _F.TYPE_BYTES:
            return {"type": "string", "format": "byte"}
        if kind == _F.TYPE_BOOL:
            return {"type": "boolean"}
        if kind in _INT32:
            return {"type": "integer", "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1}
        if kind in _UINT32:
            return {"type": "integer", "format": "int64", "minimum": 0, "maximum": 2**32 - 1}
        if kind in _INT64:
            return {"type": "string", "format": "int64", "pattern": r"^-?[0-9]{1,19}$"}
        if kind in _UINT64:
            return {"type": "string", "format": "uint64", "pattern": r"^[0-9]{1,20}$"}
        if kind == _F.TYPE_DOUBLE:
            return {"type": "number", "format": "double"}
        if kind == _F.TYPE_FLOAT:
            return {"type": "number", "format": "float"}
        if kind == _F.TYPE_ENUM:
            return self.enum(field.enum_type)
        raise TypeError(f"unsupported field type {kind}")

    def single(self, field: FieldDescriptor) -> dict[str, Any]:
        if field.type != _F.TYPE_MESSAGE:
            return self.scalar(field)
        name = field.message_type.full_name
        if name in _WKT:
            return dict(_WKT[name])
        if name in WRAPPERS:
            return {**self.scalar(field.message_type.fields_by_name["value"]), "nullable": True}
        return self.message(field.message_type)

    def field(self, field: FieldDescriptor) -> dict[str, Any]:
        if field.type == _F.TYPE_MESSAGE and field.message_type.GetOptions().map_entry:
            schema: dict[str, Any] = {"type": "object",
                                      "additionalProperties": self.single(field.message_type.fields_by_name["value"])}
        elif field.is_repeated:
            schema = {"type": "array", "items": self.single(field)}
        else:
            schema = self.single(field)
        extra: dict[str, Any] = {}
        text = self.comments.get(field.full_name)
        if text:
            extra["description"] = text
        behaviors = _behaviors(field)
        if field_behavior_pb2.OUTPUT_ONLY in behaviors:
            extra["readOnly"] = True
        if field_behavior_pb2.INPUT_ONLY in behaviors:
            extra["writeOnly"] = True
        if field.containing_oneof is not None and len(field.containing_oneof.fields) > 1:
            others = [f.json_name for f in field.containing_oneof.fields if f is not field]
            extra["description"] = (extra.get("description", "") + f"\n\nOne of: not with {', '.join(others)}.").strip()
        if not extra:
            return schema
        if "$ref" in schema:  # a $ref takes no siblings in OpenAPI 3.0
            return {"allOf": [schema], **extra}
        if schema.get("description") and "description" in extra:
            extra["description"] = f"{extra['description']}\n\n{schema['description']}"
        return {**schema, **extra}

    def object_schema(self, message: Descriptor, skip: set[str] = frozenset()) -> dict[str, Any]:
        properties, required = {}, []
        for f in message.fields:
            if f.name in skip:
                continue
            properties[f.json_name] = self.field(f)
            if field_behavior_pb2.REQUIRED in _behaviors(f):
                required.append(f.json_name)
        schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
        if required:
            schema["required"] = required
        if self.comments.get(message.full_name):
            schema["description"] = self.comments[message.full_name]
        return schema

    def message(self, message: Descriptor) -> dict[str, Any]:
        name = message.full_name
        if name in _WKT:
            return dict(_WKT[name])
        if name not in self.schemas:
            self.schemas[name] = {}  # placeholder first: messages may refer to themselves
            self.schemas[name] = self.object_schema(message)
        return self.ref(name)

    def query_param(self, param: QueryParam) -> dict[str, Any]:
        leaf = param.leaf
        schema = self.single(leaf)
        if param.repeated:
            schema = {"type": "array", "items": schema}
        out: dict[str, Any] = {"name": param.name, "in": "query", "required": False, "schema": schema}
        if param.repeated:
            out.update(style="form", explode=True)
        text = self.comments.get(leaf.full_name)
        if text:
            out["description"] = text
        return out


def _summary(text: str) -> str:
    first = text.split("\n\n", 1)[0].replace("\n", " ")
    return first.split(". ", 1)[0].rstrip(".")


def path_parameter_names(route: Route) -> dict[str, str]:
    """Template variable (field path) -> OpenAPI parameter name. Dots become underscores: tools
    format paths with str.format-like templating, where "{metric.id}" means attribute access."""
    names: dict[str, str] = {}
    for variable in route.template.variables:
        name = variable.replace(".", "_")
        while name in names.values() or (name != variable and name in route.template.variables):
            name += "_"
        names[variable] = name
    return names


def openapi_path(route: Route) -> str:
    path = route.template.openapi_path
    for variable, name in path_parameter_names(route).items():
        path = path.replace("{" + variable + "}", "{" + name + "}")
    return path


def _path_parameter(builder: _Builder, name: str, variable: str, path: tuple[FieldDescriptor, ...]) -> dict[str, Any]:
    leaf = path[-1]
    text = builder.comments.get(leaf.full_name, "")
    if name != variable:
        text = f"{text} (sets `{variable}`)".strip()
    out: dict[str, Any] = {"name": name, "in": "path", "required": True,
                           "schema": builder.scalar(leaf) if leaf.type != _F.TYPE_MESSAGE else {"type": "string"}}
    if text:
        out["description"] = text
    return out


def _operation(builder: _Builder, route: Route, operation_id: str) -> dict[str, Any]:
    comment = builder.comments.get(route.method.full_name, "")
    names = path_parameter_names(route)
    params = [_path_parameter(builder, names[variable], variable, path) for variable, path in route.path_fields.items()]
    seen: set[int] = set()
    for param in route.query_params.values():
        if id(param) in seen:
            continue
        seen.add(id(param))
        params.append(builder.query_param(param))
    op: dict[str, Any] = {
        "operationId": operation_id,
        "tags": [route.service.name],
        "summary": _summary(comment) if comment else route.method.name,
        "description": comment + (f"\n\nRequires permission `{route.permission}`." if route.permission else ""),
        "x-grpc-method": route.rpc_path,
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": _response_schema(builder, route)}}},
            "default": {"description": "Error", "content": {"application/json": {"schema": builder.ref("Error")}}},
        },
    }
    if route.permission:
        op["x-permission"] = route.permission
    if params:
        op["parameters"] = params
    body = _request_body(builder, route)
    if body is not None:
        op["requestBody"] = body
    return op


def _response_schema(builder: _Builder, route: Route) -> dict[str, Any]:
    if route.response_body:
        return builder.field(route.method.output_type.fields_by_name[route.response_body])
    return builder.message(route.method.output_type)


def _request_body(builder: _Builder, route: Route) -> dict[str, Any] | None:
    if route.body == "":
        return None
    if route.body == "*":
        top_level_path = {p.split(".")[0] for p in route.path_fields if "." not in p}
        if top_level_path:
            schema = builder.object_schema(route.method.input_type, skip=top_level_path)
        else:
            schema = builder.message(route.method.input_type)
        required = False
    else:
        field = route.method.input_type.fields_by_name[route.body]
        schema = builder.single(field) if not field.is_repeated else builder.field(field)
        required = field_behavior_pb2.REQUIRED in _behaviors(field)
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def build_openapi(routes: list[Route], comments: dict[str, str], *, title: str = "PartnerOS Metrics API",
                  version: str = "v1") -> dict[str, Any]:
    """The OpenAPI 3.0 document of `routes`."""
    builder = _Builder(comments)
    builder.schemas["Error"] = ERROR_SCHEMA
    paths: dict[str, dict[str, Any]] = {}
    used_ids: dict[str, int] = {}
    tags: dict[str, str] = {}
    for route in sorted(routes, key=lambda r: (openapi_path(r), r.http_method)):
        base_id = f"{route.service.name}_{route.method.name}"
        used_ids[base_id] = used_ids.get(base_id, 0) + 1
        operation_id = base_id if used_ids[base_id] == 1 else f"{base_id}_{used_ids[base_id]}"
        paths.setdefault(openapi_path(route), {})[route.http_method.lower()] = \
            _operation(builder, route, operation_id)
        tags[route.service.name] = comments.get(route.service.full_name, "")
    return {
        "openapi": "3.0.3",
        "info": {
            "title": title,
            "version": version,
            "description": "HTTP/JSON API of PartnerOS Metrics, transcoded from the gRPC services' protos "
                           "(proto3 JSON mapping: lowerCamel names, 64-bit integers as strings, RFC 3339 "
                           "timestamps). Authenticate with `Authorization: Bearer <machine key or personal token>`.",
        },
        "servers": [{"url": "/"}],
        "tags": [{"name": name, "description": text} for name, text in sorted(tags.items())],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(builder.schemas.items())),
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "A machine key (pomk_...) for the ingest rail or a personal token (popt_...)."}},
        },
    }
