"""The stated limits of the ingest rail, in one place (the proto comments quote them)."""
from __future__ import annotations

import datetime as dt

__all__ = [
    "MAX_EVENTS_PER_BATCH", "MAX_BATCH_BYTES", "MAX_EVENT_BYTES", "MAX_NAME_CHARS", "MAX_EVENT_ID_CHARS",
    "MAX_REF_CHARS", "MAX_FUTURE", "MIN_TIMESTAMP_MS", "MAX_REPLAY_PER_CALL",
]

# Whole-request limits: a batch over either is refused as a whole (INVALID_ARGUMENT).
MAX_EVENTS_PER_BATCH = 10_000
MAX_BATCH_BYTES = 16 * 1024 * 1024
# Per-event limits: an event over them is rejected on its own; the rest of the batch goes on.
MAX_EVENT_BYTES = 64 * 1024
MAX_NAME_CHARS = 200
MAX_EVENT_ID_CHARS = 200
MAX_REF_CHARS = 320
# Timestamps: historic ones back to the Unix epoch are accepted; at most this far ahead of the
# receive time (clock skew between systems), anything later is a mistake worth refusing.
MAX_FUTURE = dt.timedelta(minutes=15)
MIN_TIMESTAMP_MS = 0
# Quarantine replay works through at most this many entries per call.
MAX_REPLAY_PER_CALL = 10_000
