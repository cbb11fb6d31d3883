"""The menus random requests are drawn from: windows, grains, zones, filters, levels.

Named entries, so a shrunk failing example reads as a request ("last-quarter", "partner t2:r1").
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from partneros.common.v1 import filter_pb2, level_pb2, window_pb2

from tests.isolation.oracle import LevelTarget
from tests.isolation.seed import prop_filter, range_window
from tests.isolation.world import AS_OF, CUSTOMER_KEYS, PARTNER_KEYS, TENANTS, UTC

__all__ = ["WINDOWS", "WINDOW_GRAINS", "GRAINS", "ZONES", "FILTERS", "LEVELS", "level_proto", "window_of",
           "as_of", "filters_proto", "filters_oracle", "RENDER_WINDOWS", "EVENT_NAME_SETS"]

P, M = window_pb2, window_pb2


def _w(mode: int, period: int = 0, count: int = 0) -> window_pb2.Window:
    return window_pb2.Window(mode=mode, period=period, count=count)


def _utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


WINDOWS: dict[str, window_pb2.Window | None] = {
    "default": None,  # the current month to date
    "ctd-week": _w(M.WINDOW_MODE_CURRENT_TO_DATE, P.PERIOD_WEEK),
    "ctd-quarter": _w(M.WINDOW_MODE_CURRENT_TO_DATE, P.PERIOD_QUARTER),
    "last-day": _w(M.WINDOW_MODE_LAST_COMPLETE, P.PERIOD_DAY),
    "last-week": _w(M.WINDOW_MODE_LAST_COMPLETE, P.PERIOD_WEEK),
    "last-month": _w(M.WINDOW_MODE_LAST_COMPLETE, P.PERIOD_MONTH),
    "last-quarter": _w(M.WINDOW_MODE_LAST_COMPLETE, P.PERIOD_QUARTER),
    "trailing-3-weeks": _w(M.WINDOW_MODE_TRAILING, P.PERIOD_WEEK, 3),
    "trailing-2-months": _w(M.WINDOW_MODE_TRAILING, P.PERIOD_MONTH, 2),
    "range": range_window(_utc(2024, 2, 10), _utc(2024, 4, 20, 6)),
}
GRAINS = {"none": 0, "hour": P.GRAIN_HOUR, "day": P.GRAIN_DAY, "week": P.GRAIN_WEEK, "month": P.GRAIN_MONTH,
          "quarter": P.GRAIN_QUARTER}
_SHORT = ("last-day", "ctd-week", "last-week")
# Every window with every grain that keeps the series small (hours only over short windows).
WINDOW_GRAINS = tuple((w, g) for w in WINDOWS for g in GRAINS if g != "hour" or w in _SHORT)
ZONES = ("", "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata")
EQ, NE, IN, NOT_IN, GT, GE, LT, LE, CONTAINS, EXISTS, NOT_EXISTS = (
    filter_pb2.FILTER_OPERATOR_EQUALS, filter_pb2.FILTER_OPERATOR_NOT_EQUALS, filter_pb2.FILTER_OPERATOR_IN,
    filter_pb2.FILTER_OPERATOR_NOT_IN, filter_pb2.FILTER_OPERATOR_GREATER, filter_pb2.FILTER_OPERATOR_GREATER_OR_EQUAL,
    filter_pb2.FILTER_OPERATOR_LESS, filter_pb2.FILTER_OPERATOR_LESS_OR_EQUAL, filter_pb2.FILTER_OPERATOR_CONTAINS,
    filter_pb2.FILTER_OPERATOR_EXISTS, filter_pb2.FILTER_OPERATOR_NOT_EXISTS)
FILTERS: tuple[tuple[str, int, tuple[Any, ...]], ...] = (
    ("plan.tier", EQ, ("gold",)),
    ("plan.tier", NE, ("silver",)),
    ("amount", GT, (50,)),
    ("amount", LE, (30,)),
    ("plan.tier", IN, ("gold", "bronze")),
    ("amount", NOT_IN, (7, 8, 9)),
    ("plan.tier", EXISTS, ()),
    ("plan.tier", NOT_EXISTS, ()),
    ("plan.tier", CONTAINS, ("ol",)),
    ("amount", GE, (100,)),
    # A value built to break out of a string literal: it must stay a bound parameter.
    ("plan.tier", EQ, ("gold' OR tenant_id != '' OR '\\",)),
)
EVENT_NAME_SETS = ((), ("signup",), ("purchase", "login"), ("no-such-event",))
RENDER_WINDOWS = {"dashboard": None, "feb-mar": range_window(_utc(2024, 2, 1), _utc(2024, 3, 15)),
                  "apr-may": range_window(_utc(2024, 4, 1), _utc(2024, 5, 16))}

_TARGETS_P = tuple(("partner", (t, p)) for t in TENANTS for p in PARTNER_KEYS) + (("partner", None),)
_TARGETS_C = tuple(("customer", (t, c)) for t in TENANTS for c in CUSTOMER_KEYS
                   if c not in (("only2",) if t == "t1" else ("only1",))) + (("customer", None),)
# none | all | a partner or customer of either tenant | an id nobody has
LEVELS = (LevelTarget("none"), LevelTarget("all"), *(LevelTarget(k, tg) for k, tg in _TARGETS_P + _TARGETS_C))
_KIND = {"all": level_pb2.LEVEL_KIND_ALL_PARTNERS, "partner": level_pb2.LEVEL_KIND_PARTNER,
         "customer": level_pb2.LEVEL_KIND_CUSTOMER}


def level_proto(kind: str, level_id: str) -> level_pb2.Level | None:
    return None if kind == "none" else level_pb2.Level(kind=_KIND[kind], id=level_id)


def window_of(key: str) -> window_pb2.Window | None:
    return WINDOWS[key]


def as_of():  # noqa: ANN201 - a Timestamp
    from google.protobuf import timestamp_pb2

    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(AS_OF)
    return stamp


def filters_proto(indexes: tuple[int, ...]) -> list[filter_pb2.PropertyFilter]:
    return [prop_filter(*FILTERS[i]) for i in indexes]


def filters_oracle(indexes: tuple[int, ...]) -> tuple:
    return tuple((tuple(FILTERS[i][0].split(".")), FILTERS[i][1], FILTERS[i][2]) for i in indexes)
