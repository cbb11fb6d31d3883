"""The time zone names the system accepts: IANA names, the same for a tenant and for a query.

The host's zone database lists also "localtime" (whatever the host is set to) and "posixrules";
ClickHouse knows neither, and a tenant's reports must not depend on the host they run on.
"""
from __future__ import annotations

import functools
import zoneinfo

__all__ = ["iana_zones"]


@functools.cache
def iana_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) - {"localtime", "posixrules"}
