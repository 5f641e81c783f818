"""The proceedings of one event as a plain document (JSON), both languages.

The format is documented in docs/api.md. It is built from an event loaded with
`Event.objects.with_proceedings()`, so it costs no queries of its own.
"""

from workshops.languages import both
from workshops.transfer import conclusion_items

FORMAT_VERSION = 1


def absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url


def proceedings_document(event, *, request=None):
    sessions = list(event.sessions.all())
    return {
        "format": "jakres-proceedings",
        "version": FORMAT_VERSION,
        "url": absolute(request, event.get_absolute_url()),
        "event": {
            "slug": event.slug,
            "kind": event.kind,
            "title": both(event, "title"),
            "subtitle": both(event, "subtitle"),
            "topic": both(event, "topic"),
            "start_date": event.start_date.isoformat(),
            "end_date": event.end_date.isoformat() if event.end_date else None,
            "schedule_note": both(event, "schedule_note"),
            "city": event.city,
            "venue": both(event, "venue"),
            "organiser": both(event.organiser, "name") if event.organiser else None,
            "programme_phase": both(event, "programme_phase"),
            "purpose": both(event, "purpose"),
            "summary": both(event, "summary"),
            "feeds_into": both(event, "feeds_into"),
            "participants": {
                "count": event.participant_count,
                "qualifier": event.participant_count_qualifier,
                "sectors": [{"slug": s.slug, "name": both(s, "name")} for s in event.sectors.all()],
            },
            "preceded_by": [e.slug for e in event.preceded_by.all()],
            "followed_by": [e.slug for e in event.followed_by.all()],
        },
        "sessions": [
            {
                "ref": session.ref,
                "order": session.order,
                "kind": session.kind,
                "title": both(session, "title"),
                "description": both(session, "description"),
                "appearances": [
                    {
                        "ref": a.ref,
                        "person": {"slug": a.person.slug, "name": a.person.name},
                        "role": a.role,
                        "title_at_time": both(a, "title_at_time"),
                        "additional_title_at_time": both(a, "additional_title_at_time"),
                        "on_behalf_of": both(a.on_behalf_of, "name") if a.on_behalf_of else None,
                        "key_points": both(a, "summary"),
                    }
                    for a in session.appearances.all()
                ],
                "groups": [
                    {
                        "ref": group.ref,
                        "number": group.number,
                        "url": absolute(request, group.get_absolute_url()),
                        "focus_area": {
                            "number": group.focus_area.number,
                            "title": both(group.focus_area, "title"),
                        },
                        "summary": both(group, "summary"),
                        "conclusions": conclusion_items(
                            group, link=lambda c: absolute(request, c.get_absolute_url())
                        ),
                    }
                    for group in session.groups.all()
                ],
            }
            for session in sessions
        ],
        "shocks_and_stresses": [
            {
                "kind": s.kind,
                "name": both(s, "name"),
                "named_by": s.named_by.person.slug if s.named_by else None,
            }
            for s in event.shocks_stresses.all()
        ],
        "documents": [
            {
                "kind": d.kind,
                "title": both(d, "title"),
                "url": absolute(request, d.link) if d.link else None,
            }
            for d in event.documents.all()
        ],
        "photos": [
            {
                "caption": both(p, "caption"),
                "credit": p.credit,
                "url": absolute(request, p.image.url),
            }
            for p in event.photos.all()
        ],
    }
