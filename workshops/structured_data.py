"""schema.org Event data for a proceedings page: sessions are sub-events, speakers performers."""

from django.utils.translation import get_language

from workshops.models import OrganiserRole

SUPPORTER = OrganiserRole.SUPPORTER


def _person(appearance):
    data = {"@type": "Person", "name": appearance.person.name}
    if appearance.title_at_time:
        data["jobTitle"] = appearance.title_at_time
    return data


def event_jsonld(event, request):
    url = request.build_absolute_uri(event.get_absolute_url())
    sessions = list(event.sessions.all())
    performers = {}
    for session in sessions:
        for appearance in session.appearances.all():
            performers.setdefault(appearance.person_id, _person(appearance))
    location = {"@type": "Place", "name": event.venue or event.city}
    location["address"] = {
        "@type": "PostalAddress",
        "addressLocality": event.city,
        "addressCountry": "ID",
    }
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        "inLanguage": get_language(),
        "startDate": event.start_date.isoformat(),
        "endDate": (event.end_date or event.start_date).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": location,
        "description": event.summary or event.purpose or event.title,
        "performer": list(performers.values()),
        "subEvent": [
            {
                "@type": "Event",
                "name": session.title,
                "url": f"{url}#sesi-{session.ref}",
                **_session_times(event, session),
                "location": location,
                "performer": [_person(a) for a in session.appearances.all()],
            }
            for session in sessions
        ],
    }
    # Organisers and partners (co-organisers) organise; supporters sponsor.
    rows = list(event.organisers.all())
    organisers = [_organisation(r.organisation) for r in rows if r.role != SUPPORTER]
    if organisers:
        data["organizer"] = organisers
    sponsors = [_organisation(r.organisation) for r in rows if r.role == SUPPORTER]
    if sponsors:
        data["sponsor"] = sponsors
    return data


def _organisation(organisation):
    data = {"@type": "Organization", "name": organisation.name}
    if organisation.url:
        data["url"] = organisation.url
    return data


def _session_times(event, session):
    """A session's start (and end): its own day, else the event's; with its hours."""
    day = session.date or event.start_date
    times = {"startDate": day.isoformat()}
    if session.start_time:
        times["startDate"] = f"{day.isoformat()}T{session.start_time:%H:%M}"
        if session.end_time:
            times["endDate"] = f"{day.isoformat()}T{session.end_time:%H:%M}"
    return times
