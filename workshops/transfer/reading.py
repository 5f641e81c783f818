"""Reading an import document: its size, nesting and shape, before any schema check."""

import json

# Limits of an import document. A real event is tens of kilobytes (the three events
# of the fixture hold 1,297 values and 195 list items); the limits are hundreds of
# times that, and keep a hostile document within a few hundred megabytes and seconds:
# parsing JSON takes up to 25 times the text in memory, and the planner builds one
# object per list item.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_VALUES = 500_000  # counted before parsing: "{", "[" and ","
MAX_ITEMS = 20_000  # sessions, speakers, conclusions… in all lists together
# The format itself is 10 levels deep (a sub-point's text); anything deeper is not
# an event document, and Python's json and repr() give up past about a thousand.
MAX_DEPTH = 20


class DocumentRefused(Exception):
    """The document cannot be read as an event document at all; the message says why."""


def read_event_document(raw: bytes):
    """Parse an import document within the limits above, or raise DocumentRefused."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        limit = f"{MAX_DOCUMENT_BYTES // 2**20} MB"
        raise DocumentRefused(f"is more than {limit}; the limit is {limit}")
    if raw.count(b"{") + raw.count(b"[") + raw.count(b",") > MAX_VALUES:
        raise DocumentRefused(f"holds more than {MAX_VALUES:,} values")
    try:
        document = json.loads(raw)
    except RecursionError:
        raise DocumentRefused(_TOO_DEEP) from None
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
        raise DocumentRefused(f"is not valid JSON ({error})") from None
    problem = shape_problem(document)
    if problem:
        raise DocumentRefused(problem)
    return document


_TOO_DEEP = f"is nested more than {MAX_DEPTH} levels deep"


def shape_problem(document):
    """Why the document nests too deep or holds too many list items, or None.

    Walked without recursion, so no depth can make it fail.
    """
    stack, items = [(document, 1)], 0
    while stack:
        value, depth = stack.pop()
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            return _TOO_DEEP
        if isinstance(value, list):
            items += len(value)
            if items > MAX_ITEMS:
                return f"holds more than {MAX_ITEMS:,} list items"
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return None
