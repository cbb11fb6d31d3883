"""Calendar windows, previous periods and buckets: local calendars, week starts, DST, quarters."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from libs.errors import InvalidArgument
from services.metrics.compiler.windows import (
    Calendar, Grain, Mode, Period, TimeRange, WindowSpec, bucket_starts, previous_range, resolve_window,
)

UTC = dt.timezone.utc
BERLIN = Calendar(ZoneInfo("Europe/Berlin"))


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def local(cal: Calendar, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=cal.tz).astimezone(UTC)


def test_default_window_is_the_current_month_to_date() -> None:
    now = utc(2025, 3, 15, 10)
    assert resolve_window(WindowSpec(), now, BERLIN) == TimeRange(local(BERLIN, 2025, 3, 1), now)


@pytest.mark.parametrize("period, mode, count, start, end", [
    (Period.DAY, Mode.CURRENT_TO_DATE, 0, (2025, 3, 30), None),
    (Period.DAY, Mode.LAST_COMPLETE, 0, (2025, 3, 29), (2025, 3, 30)),
    (Period.WEEK, Mode.LAST_COMPLETE, 0, (2025, 3, 17), (2025, 3, 24)),
    (Period.WEEK, Mode.TRAILING, 2, (2025, 3, 10), (2025, 3, 24)),
    (Period.MONTH, Mode.LAST_COMPLETE, 0, (2025, 2, 1), (2025, 3, 1)),
    (Period.MONTH, Mode.TRAILING, 3, (2024, 12, 1), (2025, 3, 1)),
    (Period.QUARTER, Mode.CURRENT_TO_DATE, 0, (2025, 1, 1), None),
    (Period.QUARTER, Mode.LAST_COMPLETE, 0, (2024, 10, 1), (2025, 1, 1)),
    (Period.QUARTER, Mode.TRAILING, 4, (2024, 1, 1), (2025, 1, 1)),
])
def test_calendar_windows_start_at_local_midnight(period: int, mode: int, count: int, start: tuple,
                                                  end: tuple | None) -> None:
    now = utc(2025, 3, 30, 12)  # a Sunday, the day Berlin springs forward
    got = resolve_window(WindowSpec(period, mode, count), now, BERLIN)
    assert got.start == local(BERLIN, *start)
    assert got.end == (now if end is None else local(BERLIN, *end))


def test_a_dst_day_lasts_23_or_25_hours() -> None:
    spring = resolve_window(WindowSpec(Period.DAY, Mode.LAST_COMPLETE), utc(2025, 3, 31, 12), BERLIN)
    autumn = resolve_window(WindowSpec(Period.DAY, Mode.LAST_COMPLETE), utc(2025, 10, 27, 12), BERLIN)
    assert spring.end - spring.start == dt.timedelta(hours=23)
    assert autumn.end - autumn.start == dt.timedelta(hours=25)


@pytest.mark.parametrize("week_start, first", [(1, (2025, 3, 24)), (7, (2025, 3, 23)), (0, (2025, 3, 23)),
                                               (6, (2025, 3, 22)), (3, (2025, 3, 26))])
def test_the_week_starts_on_the_tenant_week_start(week_start: int, first: tuple) -> None:
    cal = Calendar(ZoneInfo("Europe/Berlin"), week_start)
    got = resolve_window(WindowSpec(Period.WEEK, Mode.CURRENT_TO_DATE), utc(2025, 3, 28, 12), cal)  # a Friday
    assert got.start == local(cal, *first)


def test_a_zone_far_from_utc_shifts_the_day() -> None:
    tokyo = Calendar(ZoneInfo("Asia/Tokyo"))
    got = resolve_window(WindowSpec(Period.DAY, Mode.CURRENT_TO_DATE), utc(2025, 3, 1, 20), tokyo)
    assert got.start == utc(2025, 3, 1, 15)  # already March 2nd in Tokyo


@pytest.mark.parametrize("spec, field", [
    (WindowSpec(mode=Mode.RANGE), "window.start_time"),
    (WindowSpec(mode=Mode.RANGE, start=utc(2025, 1, 2), end=utc(2025, 1, 2)), "window.end_time"),
    (WindowSpec(mode=Mode.RANGE, start=utc(2025, 1, 2), end=utc(2025, 1, 1)), "window.end_time"),
    (WindowSpec(Period.MONTH, Mode.TRAILING, 0), "window.count"),
    (WindowSpec(Period.MONTH, Mode.TRAILING, 1001), "window.count"),
    (WindowSpec(Period.UNSPECIFIED, Mode.LAST_COMPLETE), "window.period"),
    (WindowSpec(9, Mode.LAST_COMPLETE), "window.period"),
    (WindowSpec(Period.DAY, 9), "window.mode"),
])
def test_bad_windows_name_the_field(spec: WindowSpec, field: str) -> None:
    with pytest.raises(InvalidArgument) as err:
        resolve_window(spec, utc(2025, 3, 1), BERLIN)
    assert err.value.metadata["field"] == field


def test_previous_of_a_calendar_window_is_the_periods_before() -> None:
    now = utc(2025, 3, 30, 12)
    last_month = WindowSpec(Period.MONTH, Mode.LAST_COMPLETE)
    current = resolve_window(last_month, now, BERLIN)
    assert previous_range(last_month, current, now, BERLIN) == TimeRange(local(BERLIN, 2025, 1, 1), current.start)
    trailing = WindowSpec(Period.QUARTER, Mode.TRAILING, 2)
    current = resolve_window(trailing, now, BERLIN)
    assert previous_range(trailing, current, now, BERLIN) == TimeRange(local(BERLIN, 2024, 1, 1), current.start)


def test_previous_of_to_date_is_the_same_point_of_the_previous_period() -> None:
    now = local(BERLIN, 2025, 3, 10, 14, 30)
    mtd = WindowSpec(Period.MONTH, Mode.CURRENT_TO_DATE)
    current = resolve_window(mtd, now, BERLIN)
    assert previous_range(mtd, current, now, BERLIN) == TimeRange(local(BERLIN, 2025, 2, 1),
                                                                  local(BERLIN, 2025, 2, 10, 14, 30))
    late = local(BERLIN, 2025, 3, 31, 9)  # March 31st: February has no 31st, it is taken whole
    current = resolve_window(mtd, late, BERLIN)
    assert previous_range(mtd, current, late, BERLIN) == TimeRange(local(BERLIN, 2025, 2, 1), local(BERLIN, 2025, 3, 1))


def test_previous_of_a_range_is_the_range_just_before() -> None:
    spec = WindowSpec(mode=Mode.RANGE, start=utc(2025, 1, 10), end=utc(2025, 1, 13))
    current = resolve_window(spec, utc(2025, 6, 1), BERLIN)
    assert previous_range(spec, current, utc(2025, 6, 1), BERLIN) == TimeRange(utc(2025, 1, 7), utc(2025, 1, 10))


def test_hour_buckets_follow_dst() -> None:
    spring = bucket_starts(TimeRange(local(BERLIN, 2025, 3, 30), local(BERLIN, 2025, 3, 31)), Grain.HOUR, BERLIN)
    autumn = bucket_starts(TimeRange(local(BERLIN, 2025, 10, 26), local(BERLIN, 2025, 10, 27)), Grain.HOUR, BERLIN)
    assert len(spring) == 23 and len(autumn) == 25
    assert len({k for k, _ in autumn}) == 25  # the repeated 02:00 hour is two buckets
    assert all(b - a == dt.timedelta(hours=1) for (_, a), (_, b) in zip(autumn, autumn[1:]))


def test_hour_buckets_of_a_half_hour_zone_start_at_half_past_utc() -> None:
    kolkata = Calendar(ZoneInfo("Asia/Kolkata"))
    buckets = bucket_starts(TimeRange(utc(2025, 1, 1, 0, 10), utc(2025, 1, 1, 3)), Grain.HOUR, kolkata)
    assert [s for _, s in buckets] == [utc(2024, 12, 31, 23, 30), utc(2025, 1, 1, 0, 30), utc(2025, 1, 1, 1, 30),
                                       utc(2025, 1, 1, 2, 30)]


def test_day_week_month_quarter_buckets_cover_the_window_from_its_period_start() -> None:
    window = TimeRange(local(BERLIN, 2025, 3, 28, 15), local(BERLIN, 2025, 4, 2))
    days = bucket_starts(window, Grain.DAY, BERLIN)
    assert [k for k, _ in days] == [dt.date(2025, 3, d) for d in (28, 29, 30, 31)] + [dt.date(2025, 4, 1)]
    assert days[3][1] - days[2][1] == dt.timedelta(hours=23)
    assert [k for k, _ in bucket_starts(window, Grain.WEEK, BERLIN)] == [dt.date(2025, 3, 24), dt.date(2025, 3, 31)]
    assert [k for k, _ in bucket_starts(window, Grain.MONTH, BERLIN)] == [dt.date(2025, 3, 1), dt.date(2025, 4, 1)]
    assert [k for k, _ in bucket_starts(window, Grain.QUARTER, BERLIN)] == [dt.date(2025, 1, 1), dt.date(2025, 4, 1)]


def test_too_many_buckets_are_refused() -> None:
    with pytest.raises(InvalidArgument) as err:
        bucket_starts(TimeRange(utc(2020, 1, 1), utc(2025, 1, 1)), Grain.HOUR, BERLIN)
    assert err.value.metadata["field"] == "grain" and err.value.reason == "TOO_MANY_BUCKETS"
