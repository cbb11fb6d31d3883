"""Ingest formats: plugins (entry point group `partneros.ingest_formats`) that turn a request
into raw events. The native format reads the request's `events`; others read its `data`."""
from services.ingest.formats.base import IngestFormat, RawEvent, format_for

__all__ = ["IngestFormat", "RawEvent", "format_for"]
