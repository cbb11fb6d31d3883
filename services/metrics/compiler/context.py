"""The compile context: the tenant, the effective scope and the parameters bound so far.

Modelled on a HogQL context's `add_value`: every constant becomes a named placeholder
`{name:Type}` for ClickHouse server-side binding; equal constants share one name.
"""
from __future__ import annotations

import json
import re
from typing import Any

from libs.auth.scope import EffectiveScope

__all__ = ["CompileContext", "CompilerError", "ALLOWED_TYPES"]

# Parameter types the printer may declare; anything else is a compiler bug.
ALLOWED_TYPES = frozenset({
    "String", "Float64", "UInt8", "UInt32", "UInt64", "Int64", "Bool",
    "Array(String)", "Array(Float64)", "Array(UInt8)", "DateTime64(3, 'UTC')",
})
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,30}$")


class CompilerError(Exception):
    """An internal compiler fault (never the caller's mistake): refuse rather than emit SQL."""


class CompileContext:
    """Carries tenant, scope and bound parameters through build and print."""

    def __init__(self, scope: EffectiveScope) -> None:
        if not isinstance(scope, EffectiveScope):
            raise CompilerError("a compile context needs an EffectiveScope")
        self.scope = scope
        self.tenant_id = scope.tenant_id
        self.params: dict[str, Any] = {}
        self._by_value: dict[tuple[str, str], str] = {}
        self._counter = 0

    def add_value(self, value: Any, ch_type: str, name: str | None = None) -> str:
        """The placeholder `{name:Type}` bound to `value` (reused for an equal value and type)."""
        if ch_type not in ALLOWED_TYPES:
            raise CompilerError(f"parameter type {ch_type!r} is not allowed")
        key = (ch_type, json.dumps(value, sort_keys=True, default=str))
        if key not in self._by_value:
            if name is None:
                name, self._counter = f"p{self._counter}", self._counter + 1
            chosen = name
            if not _NAME.match(chosen) or chosen in self.params:
                raise CompilerError(f"bad or duplicate parameter name {chosen!r}")
            self.params[chosen] = value
            self._by_value[key] = chosen
        return "{%s:%s}" % (self._by_value[key], ch_type)
