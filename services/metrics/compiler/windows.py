"""Calendar windows and time-series buckets in a time zone, daylight-saving changes included.

Periods are counted on local dates (a local day may last 23 or 25 hours); every edge is the
first instant of a local date (or hour), turned into UTC through the zone database.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from libs.errors import InvalidArgument

__all__ = [
    "Period", "Mode", "Grain", "Calendar", "TimeRange", "WindowSpec", "resolve_window", "previous_range",
    "bucket_starts", "MAX_BUCKETS", "MAX_TRAILING", "EARLIEST", "LATEST",
]

UTC = dt.timezone.utc
MAX_BUCKETS = 10_000
MAX_TRAILING = 1000
# The instants the events table's DateTime64(3) holds: an as-of time and every window edge must
# fall in between (else the date arithmetic, or the engine, would fail on them).
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=UTC)
LATEST = dt.datetime(2300, 1, 1, tzinfo=UTC)


class Period:
    """Mirror of partneros.common.v1.Period."""

    UNSPECIFIED, DAY, WEEK, MONTH, QUARTER = 0, 1, 2, 3, 4


class Mode:
    """Mirror of partneros.common.v1.WindowMode."""

    UNSPECIFIED, CURRENT_TO_DATE, LAST_COMPLETE, TRAILING, RANGE = 0, 1, 2, 3, 4


class Grain:
    """Mirror of partneros.common.v1.Grain."""

    UNSPECIFIED, HOUR, DAY, WEEK, MONTH, QUARTER = 0, 1, 2, 3, 4, 5


_GRAIN_PERIOD = {Grain.DAY: Period.DAY, Grain.WEEK: Period.WEEK, Grain.MONTH: Period.MONTH,
                 Grain.QUARTER: Period.QUARTER}


@dataclass(frozen=True)
class Calendar:
    """A time zone and the first day of the week (ISO: 1 = Monday ... 7 = Sunday; 0 means Sunday)."""

    tz: ZoneInfo
    week_start: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "week_start", 7 if self.week_start in (0, 7) else (self.week_start or 1))
        if not 1 <= self.week_start <= 7:
            object.__setattr__(self, "week_start", 1)

    def midnight(self, day: dt.date) -> dt.datetime:
        """The first instant (UTC) of a local date."""
        return dt.datetime(day.year, day.month, day.day, tzinfo=self.tz).astimezone(UTC)

    def local_date(self, instant: dt.datetime) -> dt.date:
        return instant.astimezone(self.tz).date()


@dataclass(frozen=True)
class TimeRange:
    """A half-open range [start, end) of UTC instants."""

    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class WindowSpec:
    """A requested window (mirror of partneros.common.v1.Window)."""

    period: int = Period.UNSPECIFIED
    mode: int = Mode.UNSPECIFIED
    count: int = 0
    start: dt.datetime | None = None
    end: dt.datetime | None = None


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_start(day: dt.date, period: int, cal: Calendar) -> dt.date:
    """The first local date of the period holding `day`."""
    if period == Period.DAY:
        return day
    if period == Period.WEEK:
        return day - dt.timedelta(days=(day.isoweekday() - cal.week_start) % 7)
    if period == Period.MONTH:
        return day.replace(day=1)
    if period == Period.QUARTER:
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    raise ValueError(f"unknown period {period}")


def add_periods(start: dt.date, period: int, n: int) -> dt.date:
    """Shift a period's first date by `n` periods."""
    if period == Period.DAY:
        return start + dt.timedelta(days=n)
    if period == Period.WEEK:
        return start + dt.timedelta(days=7 * n)
    if period == Period.MONTH:
        return _add_months(start, n)
    if period == Period.QUARTER:
        return _add_months(start, 3 * n)
    raise ValueError(f"unknown period {period}")


def _calendar_periods(spec: WindowSpec) -> tuple[int, int]:
    """(period, number of periods) of a non-range window, defaults applied."""
    mode = spec.mode or Mode.CURRENT_TO_DATE
    period = spec.period
    if period == Period.UNSPECIFIED:
        if spec.mode != Mode.UNSPECIFIED:
            raise InvalidArgument("window.period is required for this window mode", reason="INVALID_WINDOW",
                                  field="window.period")
        period = Period.MONTH
    if period not in (Period.DAY, Period.WEEK, Period.MONTH, Period.QUARTER):
        raise InvalidArgument("unknown window.period", reason="INVALID_WINDOW", field="window.period")
    if mode == Mode.TRAILING:
        if not 1 <= spec.count <= MAX_TRAILING:
            raise InvalidArgument(f"window.count must be 1 to {MAX_TRAILING} for a trailing window",
                                  reason="INVALID_WINDOW", field="window.count")
        return period, spec.count
    return period, 1


def _within_supported_time(compute):  # noqa: ANN001, ANN202 - resolve_window or previous_range
    """The range `compute` returns, between EARLIEST and LATEST; INVALID_ARGUMENT otherwise."""
    @functools.wraps(compute)
    def bounded(*args, **kwargs) -> TimeRange:  # noqa: ANN002, ANN003
        try:
            found = compute(*args, **kwargs)
        except (ValueError, OverflowError):  # a date before year 1 or after 9999
            found = None
        if found is None or found.start < EARLIEST or found.end > LATEST:
            raise InvalidArgument("the window reaches outside the supported time (1900 to 2299)",
                                  reason="INVALID_WINDOW", field="window")
        return found

    return bounded


@_within_supported_time
def resolve_window(spec: WindowSpec, now: dt.datetime, cal: Calendar) -> TimeRange:
    """The [start, end) a window covers as of `now` (default window: the current month to date)."""
    mode = spec.mode or Mode.CURRENT_TO_DATE
    if mode == Mode.RANGE:
        if spec.start is None:
            raise InvalidArgument("window.start_time is required for a range", reason="INVALID_WINDOW",
                                  field="window.start_time")
        if spec.end is None or spec.end <= spec.start:
            raise InvalidArgument("window.end_time must be after window.start_time", reason="INVALID_WINDOW",
                                  field="window.end_time")
        return TimeRange(spec.start.astimezone(UTC), spec.end.astimezone(UTC))
    if mode not in (Mode.CURRENT_TO_DATE, Mode.LAST_COMPLETE, Mode.TRAILING):
        raise InvalidArgument("unknown window.mode", reason="INVALID_WINDOW", field="window.mode")
    period, n = _calendar_periods(spec)
    current = period_start(cal.local_date(now), period, cal)
    if mode == Mode.CURRENT_TO_DATE:
        return TimeRange(cal.midnight(current), now.astimezone(UTC))
    return TimeRange(cal.midnight(add_periods(current, period, -n)), cal.midnight(current))


@_within_supported_time
def previous_range(spec: WindowSpec, current: TimeRange, now: dt.datetime, cal: Calendar) -> TimeRange:
    """The period before `current`, of equal length.

    Calendar windows step back by as many periods as they cover; a period-to-date window is
    compared with the same point of the previous period (same day of the period and local time
    of day, cut at that period's end). A range is compared with the range just before it.
    """
    mode = spec.mode or Mode.CURRENT_TO_DATE
    if mode == Mode.RANGE:
        return TimeRange(current.start - (current.end - current.start), current.start)
    period, n = _calendar_periods(spec)
    first = period_start(cal.local_date(current.start), period, cal)
    previous_first = add_periods(first, period, -n)
    if mode != Mode.CURRENT_TO_DATE:
        return TimeRange(cal.midnight(previous_first), current.start)
    local_now = now.astimezone(cal.tz)
    same_point = previous_first + (local_now.date() - first)
    end = dt.datetime.combine(same_point, local_now.time().replace(tzinfo=None), tzinfo=cal.tz).astimezone(UTC)
    return TimeRange(cal.midnight(previous_first), min(end, current.start))


_HOUR = dt.timedelta(hours=1)


def _hour_starts(window: TimeRange, cal: Calendar) -> list[dt.datetime]:
    """Hour buckets as ClickHouse's toStartOfHour draws them in any zone: whole hours elapsed since
    the local midnight, each local day starting afresh. Where the clock moves by whole hours this
    is the local clock's hours (a 23- or 25-hour day; a repeated hour is two buckets); where it
    moves by 30 minutes (Lord Howe Island) the hours after the change start at half past."""
    out: list[dt.datetime] = []
    day = cal.local_date(window.start)
    midnight = cal.midnight(day)
    while midnight < window.end:
        day += dt.timedelta(days=1)
        following = cal.midnight(day)
        at = midnight + (max(window.start, midnight) - midnight) // _HOUR * _HOUR
        while at < min(following, window.end):
            out.append(at)
            at += _HOUR
            _check(out)
        midnight = following
    return out


def bucket_starts(window: TimeRange, grain: int, cal: Calendar) -> list[tuple[object, dt.datetime]]:
    """(key, start) of every bucket overlapping the window, in order; key is the local date of the
    bucket start (hour grain: its UNIX seconds), as the SQL bucket expression yields it."""
    out: list[tuple[object, dt.datetime]] = []
    if grain == Grain.HOUR:
        return [(int(at.timestamp()), at) for at in _hour_starts(window, cal)]
    if grain not in _GRAIN_PERIOD:
        raise InvalidArgument("unknown grain", reason="INVALID_GRAIN", field="grain")
    period = _GRAIN_PERIOD[grain]
    day = period_start(cal.local_date(window.start), period, cal)
    while (start := cal.midnight(day)) < window.end:
        out.append((day, start))
        day = add_periods(day, period, 1)
        _check(out)
    return out


def _check(out: list) -> None:
    if len(out) > MAX_BUCKETS:
        raise InvalidArgument(f"the window holds more than {MAX_BUCKETS} buckets of this grain",
                              reason="TOO_MANY_BUCKETS", field="grain")
