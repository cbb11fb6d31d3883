"""Calls as a principal with the leak scan applied to every answer, and loud failure messages.

The scan is the catch-all invariant: no id of the world that the caller may not see (another
tenant's anything, a partner outside their view, its customers and users, a dashboard not shared
with them, ...) appears anywhere in a response: in fields, payloads, error messages or metadata.
An id the caller named themselves may be echoed by an error; never by a success.
"""
from __future__ import annotations

import re
from typing import NoReturn

from google.protobuf import text_format
from google.protobuf.message import Message

from tests.isolation.oracle import visible_ids
from tests.isolation.transport import Outcome, describe_request
from tests.isolation.world import Actor, World

__all__ = ["Probe", "LeakError", "normalised_error"]


class LeakError(AssertionError):
    """A response revealed, counted or contained something outside the caller's visible set."""


class Probe:
    """One transport, one world: call, scan, and assert with the principal and request in view."""

    def __init__(self, world: World, transport) -> None:  # noqa: ANN001
        self.world = world
        self.transport = transport

    def call(self, actor: Actor, service: str, method: str, request: Message,
             echo: frozenset[str] = frozenset()) -> Outcome:
        """Call and scan; `echo`: ids this caller's own tenant sent in (a quarantined event's reference)."""
        outcome = self.transport.call(service, method, request, actor.token)
        self.scan(actor, request, outcome, echo)
        return outcome

    def scan(self, actor: Actor, request: Message, outcome: Outcome, echo: frozenset[str] = frozenset()) -> None:
        ids = visible_ids(self.world, actor)
        if outcome.ok:
            text = text_format.MessageToString(outcome.response) if outcome.response is not None else ""
            named = ""
        else:
            text = " ".join([outcome.message, outcome.reason, *outcome.metadata.keys(), *outcome.metadata.values()])
            named = text_format.MessageToString(request)
        text += outcome.raw
        leaked = sorted(i for i in ids.universe - ids.allowed - echo if i in text and i not in named)
        if leaked:
            self.fail(actor, request, outcome, f"the response names ids outside the caller's visible set: "
                                               f"{[self.label(i) for i in leaked]}")

    def label(self, some_id: str) -> str:
        """An id with what it is in the world, for failure messages."""
        for t in self.world.tenants.values():
            if some_id == t.id:
                return f"{some_id} (tenant {t.key})"
            for key, pid in t.partners.items():
                if pid == some_id:
                    return f"{some_id} (partner {t.key}:{key})"
            for c in t.customers.values():
                if c.id == some_id:
                    return f"{some_id} (customer {t.key}:{c.key})"
            for name, d in t.dashboards.items():
                if d.id == some_id:
                    return f"{some_id} (dashboard {t.key}:{name})"
            for name, mid in t.metrics.items():
                if mid == some_id:
                    return f"{some_id} (metric {t.key}:{name})"
            if some_id in t.partner_users or some_id in t.operator_ids or some_id in t.key_ids:
                return f"{some_id} (principal of {t.key})"
        return some_id

    def fail(self, actor: Actor, request: Message, outcome: Outcome | None, problem: str) -> NoReturn:
        lines = [f"ISOLATION LEAK: {problem}", f"  principal: {actor.describe()}"]
        if outcome is not None:
            lines.append(f"  via: {outcome.transport} {outcome.method}")
        lines.append(f"  request: {describe_request(request)}")
        if outcome is not None:
            lines.append(f"  outcome: {outcome.describe()}")
        raise LeakError("\n".join(lines))

    def expect(self, condition: bool, actor: Actor, request: Message, outcome: Outcome | None, problem: str) -> None:
        if not condition:
            self.fail(actor, request, outcome, problem)

    def expect_error(self, actor: Actor, request: Message, outcome: Outcome, code: str, reason: str = "") -> None:
        self.expect(not outcome.ok and outcome.code == code and (not reason or outcome.reason == reason),
                    actor, request, outcome, f"expected {code} {reason}".rstrip())


_INDEX = re.compile(r"\[\d+\]")


def normalised_error(outcome: Outcome, named: str) -> tuple:
    """An error with the id the caller named (and list positions) blanked: what a caller can tell
    apart. A foreign thing and an unknown thing must normalise to the same tuple."""

    def blank(text: str) -> str:
        return _INDEX.sub("[i]", text.replace(named, "<id>")) if named else _INDEX.sub("[i]", text)

    return (outcome.ok, outcome.code, outcome.reason, blank(outcome.message),
            tuple(sorted((k, blank(v)) for k, v in outcome.metadata.items())))
