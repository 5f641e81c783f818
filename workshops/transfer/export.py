"""Exporting one event, with all its parts, as a JSON document (workshops/schema.py)."""

from workshops import schema
from workshops.models import Event

FORMAT = schema.EXPORT_FORMAT
VERSION = schema.EXPORT_VERSION


def export_event(event: Event) -> dict:
    """The document for one event, loaded with `workshops.proceedings.with_proceedings()`."""
    return schema.event_document(event, audience=schema.EXPORT).dump(schema.EXPORT)
