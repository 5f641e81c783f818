"""Moving one event, with all its parts, between servers as a JSON document.

`export_event()` writes the document; `import_event()` reads it back. The document's
schema is workshops/schema.py, shared with the public proceedings JSON. The import checks
everything first and reports every error with its path in the document (for example
`sessions[1].appearances[0].role`), and only then writes, all in one transaction.
Shared records (organisations, sectors, people, focus areas) are matched by natural key
and created when missing; existing ones change only with `update_shared`. The format is
documented in docs/import-export.md.
"""

from workshops.transfer.export import FORMAT, VERSION, export_event
from workshops.transfer.importer import ImportFailed, import_event, validate_event_document
from workshops.transfer.reading import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_ITEMS,
    MAX_VALUES,
    DocumentRefused,
    read_event_document,
    shape_problem,
)

__all__ = [
    "FORMAT",
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_ITEMS",
    "MAX_VALUES",
    "VERSION",
    "DocumentRefused",
    "ImportFailed",
    "export_event",
    "import_event",
    "read_event_document",
    "shape_problem",
    "validate_event_document",
]
