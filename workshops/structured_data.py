"""schema.org Event data for a proceedings page: sessions are sub-events, speakers performers."""

from django.utils.translation import get_language


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
                "startDate": event.start_date.isoformat(),
                "location": location,
                "performer": [_person(a) for a in session.appearances.all()],
            }
            for session in sessions
        ],
    }
    if event.organiser:
        data["organizer"] = {"@type": "Organization", "name": event.organiser.name}
    return data
