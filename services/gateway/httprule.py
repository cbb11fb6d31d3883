"""google.api.http path templates: parse once, match request paths, fill variables.

Grammar (google/api/http.proto):
    Template = "/" Segments [ Verb ] ;   Segments = Segment { "/" Segment } ;
    Segment  = "*" | "**" | LITERAL | Variable ;   Variable = "{" FieldPath [ "=" Segments ] "}" ;
    Verb     = ":" LITERAL ;
A variable without a pattern matches one segment. Captured values are percent-decoded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

__all__ = ["PathTemplate", "TemplateError", "parse_template"]


class TemplateError(ValueError):
    """An http rule path that does not follow the template grammar."""


@dataclass(frozen=True)
class PathTemplate:
    """A compiled template: its source, variables (field paths) in order, verb and matcher."""

    source: str
    variables: tuple[str, ...]
    verb: str
    literal_count: int
    regex: re.Pattern[str]

    def match(self, path: str) -> dict[str, str] | None:
        """field path -> decoded value, or None when `path` does not match. Bytes that are not
        UTF-8 stay as surrogate escapes, for the transcoder to refuse naming the parameter."""
        found = self.regex.match(path)
        if found is None:
            return None
        return {var: unquote(found.group(f"v{i}"), errors="surrogateescape") for i, var in enumerate(self.variables)}

    @property
    def openapi_path(self) -> str:
        """The template with every variable written as {field.path} (patterns dropped)."""
        return re.sub(r"\{([^}=]+)(=[^}]*)?\}", r"{\1}", self.source)

    @property
    def first_segment(self) -> str:
        return self.source.lstrip("/").split("/", 1)[0].split(":", 1)[0]


_FIELD_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
_LITERAL = re.compile(r"[^/{}*:=]+\Z")


def _segments_regex(segments: list[str]) -> tuple[str, int]:
    parts, literals = [], 0
    for seg in segments:
        if seg == "*":
            parts.append("[^/]+")
        elif seg == "**":
            parts.append(".+")
        elif _LITERAL.match(seg):
            parts.append(re.escape(seg))
            literals += 1
        else:
            raise TemplateError(f"invalid segment {seg!r}")
    return "/".join(parts), literals


def _split_segments(text: str) -> list[str]:
    """Split on '/' outside braces."""
    out, depth, current = [], 0, ""
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "/" and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    out.append(current)
    return out


def parse_template(source: str) -> PathTemplate:
    """Compile an http rule path such as "/v1/metrics/{metric.id}" or "/v1/events:ingest"."""
    if not source.startswith("/"):
        raise TemplateError(f"{source!r}: a template starts with '/'")
    body, verb = source[1:], ""
    last = body.rsplit("/", 1)[-1]
    if ":" in last and not last.endswith("}"):
        cut = len(body) - len(last) + last.rindex(":")
        if "{" not in body[cut:]:
            body, verb = body[:cut], body[cut + 1:]
            if not _LITERAL.match(verb):
                raise TemplateError(f"{source!r}: invalid verb {verb!r}")
    parts: list[str] = []
    variables: list[str] = []
    literals = 0
    for seg in _split_segments(body):
        if seg.startswith("{") and seg.endswith("}"):
            name, eq, pattern = seg[1:-1].partition("=")
            if not _FIELD_PATH.match(name) or (eq and not pattern):
                raise TemplateError(f"{source!r}: invalid variable {seg!r}")
            if pattern:
                sub, n = _segments_regex(pattern.split("/"))
                literals += n
            else:
                sub = "[^/]+"
            parts.append(f"(?P<v{len(variables)}>{sub})")
            variables.append(name)
        else:
            sub, n = _segments_regex([seg])
            parts.append(sub)
            literals += n
    pattern = "/" + "/".join(parts) + (":" + re.escape(verb) if verb else "")
    return PathTemplate(source=source, variables=tuple(variables), verb=verb, literal_count=literals,
                        regex=re.compile(pattern + r"\Z"))
