"""The proceedings of one event as a plain document (JSON), both languages.

The format is documented in docs/api.md, and described, with the export's, in
workshops/schema.py. It is built from an event loaded with
`workshops.proceedings.with_proceedings()`, so it costs no queries of its own.
"""

from workshops.schema import PUBLIC, event_document


def absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url


def proceedings_document(event, *, request=None):
    document = event_document(event, audience=PUBLIC, absolute=lambda url: absolute(request, url))
    return document.dump(PUBLIC)
