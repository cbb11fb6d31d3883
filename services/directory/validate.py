"""Input checks shared by the directory handlers; each failure names the offending field."""
from __future__ import annotations

import re
from collections.abc import Iterable

from google.protobuf import field_mask_pb2

from libs.errors import InvalidArgument
from libs.identity.reads import normalise_email
from libs.timezones import iana_zones

__all__ = ["CONTROL", "required", "text", "email", "optional_email", "optional_text", "time_zone", "week_start",
           "update_fields", "identifier"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_NAME_MAX = 200
_EMAIL_MAX = 320
_ID_MAX = 200
# Control characters (C0 and C1, DEL): in an id or an email none; in text, tab and line breaks only.
# Terminal escapes would reach an operator's shell through `partneros admin`, and PostgreSQL
# cannot store NUL at all.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _no_control(value: str, field: str, pattern: re.Pattern[str] = CONTROL) -> str:
    if pattern.search(value):
        raise InvalidArgument(f"{field} must not contain control characters", reason="CONTROL_CHARACTER",
                              field=field)
    return value


def required(value: str, field: str) -> str:
    """`value` stripped; INVALID_ARGUMENT when it is empty."""
    value = value.strip()
    if not value:
        raise InvalidArgument(f"{field} is required", reason="FIELD_REQUIRED", field=field)
    return value


def identifier(value: str, field: str) -> str:
    """A resource id named in a request (Get/Delete/...); must be present, and look like an id."""
    value = _no_control(required(value, field), field)
    if len(value) > _ID_MAX:
        raise InvalidArgument(f"{field} is longer than {_ID_MAX} characters", reason="FIELD_TOO_LONG", field=field,
                              max_length=_ID_MAX)
    return value


def text(value: str, field: str, *, max_length: int = _NAME_MAX, allow_empty: bool = False) -> str:
    """A display string, stripped and bounded."""
    value = _no_control(value.strip() if allow_empty else required(value, field), field, _TEXT_CONTROL)
    if len(value) > max_length:
        raise InvalidArgument(f"{field} is longer than {max_length} characters", reason="FIELD_TOO_LONG",
                              field=field, max_length=max_length)
    return value


def optional_text(value: str, field: str, *, max_length: int = _NAME_MAX) -> str | None:
    """A stripped, bounded string or None when empty (stored as NULL, so it does not collide)."""
    value = text(value, field, max_length=max_length, allow_empty=True)
    return value or None


def email(value: str, field: str = "email") -> str:
    """A required email, trimmed and lower-cased; malformed addresses are refused."""
    normalised = normalise_email(required(value, field))
    if len(normalised) > _EMAIL_MAX or CONTROL.search(normalised) or not _EMAIL.match(normalised):
        raise InvalidArgument(f"{field} {value!r} is not a valid email address", reason="INVALID_EMAIL",
                              field=field, value=value)
    return normalised


def optional_email(value: str, field: str = "email") -> str | None:
    """Like `email`, but empty means "no email" (None)."""
    return email(value, field) if value.strip() else None


def time_zone(value: str, field: str = "time_zone") -> str:
    """An IANA time zone name such as "Europe/Berlin"."""
    value = required(value, field)
    if value not in iana_zones():
        raise InvalidArgument(f"{value!r} is not an IANA time zone", reason="INVALID_TIME_ZONE", field=field,
                              value=value)
    return value


def week_start(value: int, field: str = "week_start") -> int:
    """1 = Monday ... 7 = Sunday."""
    if not 1 <= value <= 7:
        raise InvalidArgument("week_start must be 1 (Monday) to 7 (Sunday)", reason="INVALID_WEEK_START",
                              field=field, value=value)
    return value


def update_fields(mask: field_mask_pb2.FieldMask, writable: Iterable[str]) -> frozenset[str]:
    """The fields an Update touches: the mask's paths, or every writable field for an empty mask or "*"."""
    writable = tuple(writable)
    paths = list(mask.paths)
    if not paths or paths == ["*"]:
        return frozenset(writable)
    unknown = sorted(set(paths) - set(writable))
    if unknown:
        raise InvalidArgument(f"update_mask names fields that cannot be updated: {', '.join(unknown)}",
                              reason="INVALID_UPDATE_MASK", field="update_mask", paths=",".join(unknown),
                              writable=",".join(writable))
    return frozenset(paths)
