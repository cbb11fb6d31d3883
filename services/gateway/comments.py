"""The proto comments, by element full name, from the descriptor set written by gen_protos.py.

Runtime descriptors carry no comments; the generated FileDescriptorSet (with source info) does.
Without the file the OpenAPI document simply has no descriptions.
"""
from __future__ import annotations

import logging
import pathlib
from functools import cache

from google.protobuf import descriptor_pb2

__all__ = ["comments", "parse"]

log = logging.getLogger(__name__)


def _default_path() -> pathlib.Path:
    import partneros

    return pathlib.Path(partneros.__file__).resolve().parent / "descriptors.binpb"



def _clean(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines()]
    return "\n".join(lines).strip()


def _walk_message(prefix: str, msg: descriptor_pb2.DescriptorProto, path: tuple[int, ...],
                  names: dict[tuple[int, ...], str]) -> None:
    full = f"{prefix}.{msg.name}" if prefix else msg.name
    names[path] = full
    for i, f in enumerate(msg.field):
        names[(*path, 2, i)] = f"{full}.{f.name}"
    for i, nested in enumerate(msg.nested_type):
        _walk_message(full, nested, (*path, 3, i), names)
    for i, enum in enumerate(msg.enum_type):
        _walk_enum(full, enum, (*path, 4, i), names)


def _walk_enum(prefix: str, enum: descriptor_pb2.EnumDescriptorProto, path: tuple[int, ...],
               names: dict[tuple[int, ...], str]) -> None:
    full = f"{prefix}.{enum.name}" if prefix else enum.name
    names[path] = full
    for i, value in enumerate(enum.value):
        # enum values are scoped like siblings of the enum, but keep them under it to stay unique
        names[(*path, 2, i)] = f"{full}.{value.name}"


def parse(data: bytes) -> dict[str, str]:
    """full name -> leading comment (trailing when there is no leading one)."""
    fds = descriptor_pb2.FileDescriptorSet.FromString(data)
    out: dict[str, str] = {}
    for file in fds.file:
        names: dict[tuple[int, ...], str] = {}
        for i, msg in enumerate(file.message_type):
            _walk_message(file.package, msg, (4, i), names)
        for i, enum in enumerate(file.enum_type):
            _walk_enum(file.package, enum, (5, i), names)
        for i, service in enumerate(file.service):
            full = f"{file.package}.{service.name}"
            names[(6, i)] = full
            for j, method in enumerate(service.method):
                names[(6, i, 2, j)] = f"{full}.{method.name}"
        for location in file.source_code_info.location:
            name = names.get(tuple(location.path))
            text = location.leading_comments or location.trailing_comments
            if name and text:
                out[name] = _clean(text)
    return out


@cache
def comments(path: pathlib.Path | None = None) -> dict[str, str]:
    """The comments of every element in the generated descriptor set ({} if it is missing)."""
    target = path or _default_path()
    try:
        return parse(target.read_bytes())
    except OSError:
        log.warning("no descriptor set at %s: the OpenAPI document will have no descriptions", target)
        return {}
