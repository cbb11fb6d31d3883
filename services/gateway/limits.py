"""Per-credential rate limiting: a token bucket keyed by a hash of the bearer token.

The raw token never stays in memory as a key; requests without one are keyed by client address.
Runs on the event loop thread only, so it needs no lock.
"""
from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable

__all__ = ["RateLimiter", "rate_key"]


def rate_key(token: str | None, client: str | None) -> str:
    """The bucket a request draws from: its bearer token's (however the header spelled the
    scheme and spaces, one token is one bucket), else its client address's."""
    if token:
        return "tok:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    return f"addr:{client or '?'}"


class RateLimiter:
    """Token buckets of `burst` tokens refilled at `rate` per second, at most `max_keys` of them."""

    def __init__(self, rate: float, burst: int, *, max_keys: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.max_keys, self._clock = rate, max(1, burst), max_keys, clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def acquire(self, key: str) -> float:
        """Take one token: 0 when allowed, else the seconds until one is available."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        tokens, last = self._buckets.pop(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return wait

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))
