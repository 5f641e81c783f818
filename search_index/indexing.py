"""Keeps the search index in step with the proceedings.

A saved event, key point, conclusion, shock or stress (a shared record, and whether a
published event names it), or person updates its own entry,
in the same transaction as the change (so a search never sees an index older than the
content it could show, and a page cached after the commit is built from both). An event
whose address or date changed has every entry of its parts rebuilt, in bulk. Deleting
removes the entry (the foreign keys cascade for whole events and people).
`rebuild()` makes the whole index afresh: `manage.py rebuild_search_index`, run by
`setup_portal` and after bulk loads that send no signals (generate_bench_data).
"""

import html
import re

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from django.utils.html import strip_tags

from focus_areas.models import Conclusion, DiscussionGroup
from jakres.core.languages import column
from jakres.core.text import render_text
from search_index.models import Entry, EntryKind, Word
from workshops.models import Appearance, Event, EventStatus, Hazard, Person, ShockStress

# Characters ts_headline wraps matches in (search_index.models): never in indexed text.
MARKS = ("\u27e6", "\u27e7")
_WORD = re.compile(r"\w{3,60}")


def plain(text):
    """Indexable plain text of a Markdown field (the marks removed)."""
    if not text:
        return ""
    text = html.unescape(strip_tags(render_text(text)))
    return " ".join(text.replace(MARKS[0], "").replace(MARKS[1], "").split())


def _both(obj, *fields, markdown=False):
    """{"ind": …, "en": …}: the fields' texts joined ("" where a language has none; the
    search page then shows the Indonesian, marked as such)."""
    out = {}
    for suffix, language in (("ind", "id"), ("en", "en")):
        parts = []
        for field in fields:
            text = getattr(obj, column(field, language), "")
            parts.append(plain(text) if markdown else " ".join((text or "").split()))
        out[suffix] = " ".join(p for p in parts if p)
    return out


def _paths(make):
    paths = {}
    for suffix, language in (("ind", "id"), ("en", "en")):
        with translation.override(language):
            paths[suffix] = make()
    return paths


def _entry(kind, obj, *, event, person=None, title, body, paths, date, public=None):
    return Entry(
        kind=kind, object_id=obj.pk, event=event, person=person,
        title_ind=title["ind"][:300], title_en=title["en"][:300],
        body_ind=body["ind"], body_en=body["en"],
        path_ind=paths["ind"], path_en=paths["en"], date=date,
        public=event.status == EventStatus.PUBLISHED if public is None else public,
    )  # fmt: skip


def event_entry(event):
    return _entry(
        EntryKind.EVENT, event, event=event, title=_both(event, "title"),
        body=_both(event, "subtitle", "topic", "purpose", "summary", markdown=True),
        paths=_paths(event.get_absolute_url), date=event.start_date,
    )  # fmt: skip


def has_key_points(appearance):
    """Only a talk with key points has them on the proceedings page (#paparan-…), to
    be found and linked to; a speaker without them is found by the person's entry."""
    return bool(appearance.summary_ind or appearance.summary_en)


def appearance_entry(appearance, event):
    name = appearance.person.name
    body = _both(appearance, "title_at_time", "summary", markdown=True)
    return _entry(
        EntryKind.KEY_POINT, appearance, event=event, person=appearance.person,
        title={"ind": name, "en": name}, body=body,
        paths=_paths(lambda: f"{event.get_absolute_url()}#paparan-{appearance.ref}"),
        date=event.start_date,
    )  # fmt: skip


def conclusion_entry(conclusion, event):
    label = conclusion.label  # "2.3": the hit names it
    return _entry(
        EntryKind.CONCLUSION, conclusion, event=event, title={"ind": label, "en": label},
        body=_both(conclusion, "text", markdown=True),
        paths=_paths(conclusion.get_absolute_url), date=event.start_date,
    )  # fmt: skip


def hazard_entry(hazard, public):
    """One entry per shared shock or stress, leading to its page; public: a published
    event names it."""
    kind = _paths(hazard.get_kind_display)
    description = _both(hazard, "description", markdown=True)
    body = {key: " ".join(p for p in (kind[key], description[key]) if p) for key in kind}
    return _entry(
        EntryKind.SHOCK_STRESS, hazard, event=None, title=_both(hazard, "name"), body=body,
        paths=_paths(hazard.get_absolute_url), date=None, public=public,
    )  # fmt: skip


def _named_in_public(hazard_ids):
    """The ids among these shocks and stresses that a published event names."""
    return set(
        ShockStress.objects.filter(
            hazard_id__in=hazard_ids, event__status=EventStatus.PUBLISHED
        ).values_list("hazard_id", flat=True)
    )


def index_hazard(hazard):
    store([hazard_entry(hazard, bool(_named_in_public([hazard.pk])))])


def _refresh_hazard_flags(hazard_ids):
    public = _named_in_public(hazard_ids)
    for flag in (True, False):
        ids = [i for i in hazard_ids if (i in public) == flag]
        Entry.objects.filter(kind=EntryKind.SHOCK_STRESS, object_id__in=ids).update(public=flag)


def person_entry(person, public):
    """public: the person spoke at a published event."""
    extra = " ".join(p for p in (person.honorific, person.short_name) if p)
    return _entry(
        EntryKind.PERSON, person, event=None, person=person,
        title={"ind": person.name, "en": person.name}, body={"ind": extra, "en": extra},
        paths=_paths(person.get_absolute_url), date=None, public=public,
    )  # fmt: skip


def _speaks_in_public(person_ids):
    """The ids among these people's who spoke at a published event."""
    return set(
        Appearance.objects.filter(
            person_id__in=person_ids, session__event__status=EventStatus.PUBLISHED
        ).values_list("person_id", flat=True)
    )


def entries_of_event(event):
    """Every entry of an event and its parts, in three queries (the shocks and stresses
    it names are shared records, with entries of their own)."""
    entries = [event_entry(event)]
    appearances = Appearance.objects.filter(session__event=event).select_related("person")
    entries += [appearance_entry(a, event) for a in appearances if has_key_points(a)]
    conclusions = Conclusion.objects.filter(group__session__event=event).select_related(
        "group", "parent"
    )
    entries += [conclusion_entry(c, event) for c in conclusions]
    return entries


def store(entries, *, replace_event=None):
    """Writes entries (one upsert each, or the whole event's at once) and their words."""
    if replace_event is not None:
        Entry.objects.filter(event=replace_event).exclude(kind=EntryKind.PERSON).delete()
        Entry.objects.bulk_create(entries, batch_size=500)
    else:
        for entry in entries:
            fields = {f.attname: getattr(entry, f.attname) for f in Entry._meta.concrete_fields
                      if f.name not in ("id", "kind", "object_id")}  # fmt: skip
            Entry.objects.update_or_create(
                kind=entry.kind, object_id=entry.object_id, defaults=fields
            )
    remember_words(entries)


def remember_words(entries):
    words = set()
    for entry in entries:
        for text in (entry.title_ind, entry.title_en, entry.body_ind, entry.body_en):
            words.update(w.lower() for w in _WORD.findall(text) if not w.isdigit())
    Word.objects.bulk_create(
        [Word(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=1000
    )


def index_event(event):
    stored = Entry.objects.filter(kind=EntryKind.EVENT, object_id=event.pk).first()
    fresh = event_entry(event)
    if stored is None or (stored.path_ind, stored.date) != (fresh.path_ind, fresh.date):
        store(entries_of_event(event), replace_event=event)  # the parts' addresses moved
    else:
        store([fresh])
        if stored.public != fresh.public:  # published or withdrawn
            Entry.objects.filter(event=event).update(public=fresh.public)
    if stored is None or stored.public != fresh.public:
        speakers = set(
            Appearance.objects.filter(session__event=event).values_list("person_id", flat=True)
        )
        public = _speaks_in_public(speakers)
        for flag in (True, False):
            ids = [i for i in speakers if (i in public) == flag]
            Entry.objects.filter(kind=EntryKind.PERSON, object_id__in=ids).update(public=flag)
        _refresh_hazard_flags(
            list(ShockStress.objects.filter(event=event).values_list("hazard_id", flat=True))
        )


def index_part(instance):
    if isinstance(instance, Appearance):
        appearance = Appearance.objects.select_related("person", "session__event").get(
            pk=instance.pk
        )
        if has_key_points(appearance):
            store([appearance_entry(appearance, appearance.session.event)])
        else:  # its key points were taken out
            Entry.objects.filter(kind=EntryKind.KEY_POINT, object_id=appearance.pk).delete()
        _refresh_person_flag(appearance.person_id)
    elif isinstance(instance, Conclusion):
        event = Event.objects.get(sessions__groups__conclusions=instance)
        store([conclusion_entry(instance, event)])
    elif isinstance(instance, ShockStress):
        _refresh_hazard_flags([instance.hazard_id])


def index_group(group):
    """A group's number is in its conclusions' labels ("2.3"), their hits' titles: the
    entries whose title it changed are written again (none, when it did not)."""
    conclusions = list(
        Conclusion.objects.filter(group=group).select_related("group__session__event", "parent")
    )
    stored = dict(
        Entry.objects.filter(
            kind=EntryKind.CONCLUSION, object_id__in=[c.pk for c in conclusions]
        ).values_list("object_id", "title_ind")
    )
    store(
        [
            conclusion_entry(c, c.group.session.event)
            for c in conclusions
            if c.pk in stored and stored[c.pk] != c.label
        ]
    )


def index_person(person):
    appearances = list(
        Appearance.objects.filter(person=person).select_related("person", "session__event")
    )
    public = any(a.session.event.status == EventStatus.PUBLISHED for a in appearances)
    entries = [person_entry(person, public)]
    talks = [appearance_entry(a, a.session.event) for a in appearances if has_key_points(a)]
    store([*entries, *talks])


def _saved(sender, instance, raw=False, **kwargs):
    try:
        with transaction.atomic():
            if sender is Event:
                index_event(instance)
            elif sender is Person:
                index_person(instance)
            elif sender is Hazard:
                index_hazard(instance)
            elif sender is DiscussionGroup:
                index_group(instance)
            else:
                index_part(instance)
    except ObjectDoesNotExist:
        if not raw:  # a fixture may hold a part before its parent: rebuild_search_index
            raise


KINDS = {Appearance: EntryKind.KEY_POINT, Conclusion: EntryKind.CONCLUSION,
         Hazard: EntryKind.SHOCK_STRESS, Person: EntryKind.PERSON}  # fmt: skip


def _deleted(sender, instance, **kwargs):
    if sender is ShockStress:  # the shared record stays; is it still named in public?
        _refresh_hazard_flags([instance.hazard_id])
        return
    Entry.objects.filter(kind=KINDS[sender], object_id=instance.pk).delete()
    if sender is Appearance:
        _refresh_person_flag(instance.person_id)


def _refresh_person_flag(person_id):
    public = bool(_speaks_in_public([person_id]))
    Entry.objects.filter(kind=EntryKind.PERSON, object_id=person_id).update(public=public)


def connect_signals():
    for model in (Event, Person, Appearance, DiscussionGroup, Conclusion, ShockStress, Hazard):
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-index-{model._meta.label}")
    for model in (*KINDS, ShockStress):
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"search-unindex-{model._meta.label}"
        )


@transaction.atomic
def rebuild():
    """The whole index afresh. Returns the number of entries."""
    Entry.objects.all().delete()
    entries = []
    for event in Event.objects.all():
        entries += entries_of_event(event)
    public = set(
        Appearance.objects.filter(session__event__status=EventStatus.PUBLISHED).values_list(
            "person_id", flat=True
        )
    )
    entries += [person_entry(p, p.pk in public) for p in Person.objects.all()]
    named = _named_in_public(list(Hazard.objects.values_list("pk", flat=True)))
    entries += [hazard_entry(h, h.pk in named) for h in Hazard.objects.all()]
    Entry.objects.bulk_create(entries, batch_size=1000)
    remember_words(entries)
    return len(entries)
