"""Stage 4: print ClickHouse SQL. Adds the tenant and scope guard to every query itself.

Dispatch is a table from node type to printer. Only known functions, columns and identifier
aliases are printed; every constant goes out as a bound parameter through the context.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from libs.auth.scope import EffectiveScope
from services.metrics.compiler.ast import (
    COMPARISONS, Alias, And, Call, Column, Compare, Const, Expr, Not, Or, Ref, Select,
)
from services.metrics.compiler.context import CompileContext, CompilerError
from services.metrics.compiler.schema import TABLES, TableSchema

__all__ = ["print_select", "FUNCTIONS"]

# The compiler's own functions; aggregation plugins declare theirs (Aggregation.functions).
FUNCTIONS = frozenset({
    "grouping", "tuple", "JSONType", "JSONHas", "JSONExtractString", "JSONExtractFloat", "JSONExtractBool",
    "JSONExtractRaw", "toDate", "toStartOfHour", "toUnixTimestamp", "toDayOfWeek", "subtractDays",
    "toStartOfMonth", "toStartOfQuarter", "modulo", "plus", "position",
})
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_FUNCTION = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise CompilerError(f"not an identifier: {name!r}")
    return name


class _Printer:
    def __init__(self, ctx: CompileContext, table: TableSchema, aliases: set[str], functions: frozenset[str]) -> None:
        self.ctx, self.table, self.aliases, self.functions = ctx, table, aliases, functions
        self._dispatch: dict[type, Callable] = {
            Column: self._column, Const: self._const, Ref: self._ref, Call: self._call,
            Compare: self._compare, And: self._and, Or: self._or, Not: self._not,
        }

    def expr(self, node: Expr) -> str:
        printer = self._dispatch.get(type(node))
        if printer is None:
            raise CompilerError(f"cannot print {type(node).__name__}")
        return printer(node)

    def _column(self, node: Column) -> str:
        if node.name not in self.table.columns:
            raise CompilerError(f"unknown column {node.name!r}")
        return node.name

    def _const(self, node: Const) -> str:
        return self.ctx.add_value(node.value, node.type)

    def _ref(self, node: Ref) -> str:
        if node.alias not in self.aliases:
            raise CompilerError(f"unknown alias {node.alias!r}")
        return node.alias

    def _call(self, node: Call) -> str:
        if node.name not in self.functions:
            raise CompilerError(f"function {node.name!r} is not allowed")
        return f"{node.name}({', '.join(self.expr(a) for a in node.args)})"

    def _compare(self, node: Compare) -> str:
        if node.op not in COMPARISONS:
            raise CompilerError(f"comparison {node.op!r} is not allowed")
        return f"{self.expr(node.left)} {node.op} {self.expr(node.right)}"

    def _and(self, node: And) -> str:
        return " AND ".join(f"({self.expr(i)})" for i in node.items) if node.items else "1"

    def _or(self, node: Or) -> str:
        return " OR ".join(f"({self.expr(i)})" for i in node.items) if node.items else "0"

    def _not(self, node: Not) -> str:
        return f"NOT ({self.expr(node.item)})"


def _guard(ctx: CompileContext, table: TableSchema) -> list[str]:
    """The tenant predicate and the scope predicate, from the context's effective scope alone."""
    scope = ctx.scope
    if not isinstance(scope, EffectiveScope) or not scope.tenant_id or scope.tenant_id != ctx.tenant_id:
        raise CompilerError("refusing to print a query without a tenant and an effective scope")
    out = [f"{table.tenant_column} = {ctx.add_value(scope.tenant_id, 'String', 'tenant')}"]
    if scope.partner_ids is not None:
        if not scope.partner_ids:
            out.append("0")  # a scope with no partner sees nothing
        else:
            placeholder = ctx.add_value(sorted(scope.partner_ids), "Array(String)", "scope_partners")
            out.append(f"{table.partner_column} IN {placeholder}")
    if scope.customer_id is not None:
        out.append(f"{table.customer_column} = {ctx.add_value(scope.customer_id, 'String', 'scope_customer')}")
    return out


def print_select(select: Select, ctx: CompileContext) -> str:
    """The SQL of `select` with the guard of `ctx`; parameters land in `ctx.params`."""
    if not isinstance(ctx, CompileContext):
        raise CompilerError("printing needs a compile context")
    table = TABLES.get(select.table)
    if table is None:
        raise CompilerError(f"unknown table {select.table!r}")
    guard = _guard(ctx, table)  # first, so the guard's parameters have their stable names
    aliases = {_ident(c.name) for c in select.columns}
    extra = {f for f in select.functions if _FUNCTION.match(f)}
    if extra != set(select.functions):
        raise CompilerError(f"not function names: {sorted(set(select.functions) - extra)}")
    p = _Printer(ctx, table, aliases, FUNCTIONS | extra)

    def column(c: Alias) -> str:
        text = p.expr(c.expr)
        if isinstance(c.expr, Column) and c.expr.name == c.name:
            return text
        return f"{text if isinstance(c.expr, (Column, Call)) else f'({text})'} AS {c.name}"

    lines = ["SELECT " + ", ".join(column(c) for c in select.columns),
             f"FROM {table.name}{' FINAL' if table.final else ''}"]
    conditions = [*guard, *([p.expr(select.where)] if select.where is not None else [])]
    lines.append("WHERE " + " AND ".join(f"({c})" for c in conditions))
    if len(select.group_by) == 1 and select.group_by[0]:
        lines.append("GROUP BY " + ", ".join(p.expr(e) for e in select.group_by[0]))
    elif len(select.group_by) > 1:
        sets = ", ".join("(" + ", ".join(p.expr(e) for e in s) + ")" for s in select.group_by)
        lines.append(f"GROUP BY GROUPING SETS ({sets})")
    if select.order_by:
        lines.append("ORDER BY " + ", ".join(p.expr(o.expr) + (" DESC" if o.descending else "")
                                             for o in select.order_by))
    if select.limit is not None:
        lines.append(f"LIMIT {ctx.add_value(int(select.limit), 'UInt32')}")
    return "\n".join(lines)
