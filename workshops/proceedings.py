"""What a proceedings page shows, shared by the public page and the staff preview."""

from workshops.structured_data import event_jsonld


def proceedings_context(event, request):
    """Template context for an event loaded with `Event.objects.with_proceedings()`."""
    sessions = list(event.sessions.all())
    shocks_stresses = list(event.shocks_stresses.all())
    documents = list(event.documents.all())
    return {
        "sessions": sessions,
        "shocks": [s for s in shocks_stresses if s.kind == "shock"],
        "stresses": [s for s in shocks_stresses if s.kind == "stress"],
        "shocks_named_by": sorted({s.named_by.person.name for s in shocks_stresses if s.named_by}),
        "documents": documents,
        "proceedings_document": next((d for d in documents if d.kind == "proceedings"), None),
        "photos": list(event.photos.all()),
        "jsonld": event_jsonld(event, request),
        "canonical_url": request.build_absolute_uri(event.get_absolute_url()),
    }
