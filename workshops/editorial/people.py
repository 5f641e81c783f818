"""People entered twice (issue 10, item 5): near-matches of a name, and merging.

"Oswar Muadzin Mungkasa" and "Oswar M. Mungkasa", "Ibu Tri Dewi Virgiyanti" and
"tri dewi  virgiyanti" are one person. A name is compared without case, accents,
punctuation, honorifics ("Ibu", "Bapak", "Dr.") or degrees after a comma; an initial
matches any word it begins; the first and last names must agree. On PostgreSQL,
trigram similarity (pg_trgm) also finds misspellings.
"""

import re
import unicodedata

import reversion
from django.db import connection, transaction
from django.utils.translation import gettext as _

from workshops.editorial.workflow import mark_event_changed
from workshops.models import Appearance, Document, Person, Photo, ShockStress

HONORIFICS = frozenset(
    [
        "ibu",
        "bu",
        "bapak",
        "bpk",
        "pak",
        "sdr",
        "sdri",
        "saudara",
        "saudari",
        "dr",
        "drs",
        "dra",
        "ir",
        "prof",
        "h",
        "hj",
        "kh",
        "mr",
        "mrs",
        "ms",
    ]
)
TRIGRAM_THRESHOLD = 0.45


def name_words(name: str) -> list[str]:
    """The words of a name that identify the person, normalised."""
    name = name.split(",")[0]  # "Oswar M. Mungkasa, MURP": degrees after a comma
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^\w\s]", " ", text).split()
    return [word for word in words if word not in HONORIFICS]


def _agree(one: str, other: str) -> bool:
    if one == other:
        return True
    shorter, longer = sorted((one, other), key=len)
    return len(shorter) == 1 and longer.startswith(shorter)


def near_match(name: str, other: str) -> bool:
    """Rule: two names are of one person when their words (see name_words) are the same
    up to spacing, or their first and last words agree (an initial agrees with a word
    it begins)."""
    one, two = name_words(name), name_words(other)
    if not one or not two:
        return False
    if "".join(one) == "".join(two):
        return True
    if len(one) == 1 or len(two) == 1:
        return False
    return _agree(one[0], two[0]) and _agree(one[-1], two[-1])


def similar_people(name: str, *, exclude_pk=None) -> list[Person]:
    """The people whose name is a near-match of `name` (at most 10)."""
    people = Person.objects.exclude(pk=exclude_pk) if exclude_pk else Person.objects.all()
    found = {pk for pk, other in people.values_list("pk", "name") if near_match(name, other)}
    if connection.vendor == "postgresql" and name.strip():
        from django.contrib.postgres.search import TrigramSimilarity

        similar = people.annotate(similarity=TrigramSimilarity("name", name)).filter(
            similarity__gte=TRIGRAM_THRESHOLD
        )
        found.update(similar.values_list("pk", flat=True))
    return list(Person.objects.filter(pk__in=found).order_by("name")[:10])


def merge_people(*, keep: Person, others, user) -> int:
    """Move every appearance, document and photo of `others` to `keep`, then delete
    them, in one transaction kept in the history with who did it. An appearance that
    `keep` already has in the same session and role is dropped, not doubled. Returns
    how many records moved."""
    others = [person for person in others if person.pk != keep.pk]
    moved = 0
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        names = ", ".join(person.name for person in others)
        reversion.set_comment(
            _("Merged into %(name)s: %(others)s") % {"name": keep.name, "others": names}
        )
        for person in others:
            for appearance in Appearance.objects.filter(person=person).select_related("session"):
                twin = Appearance.objects.filter(
                    session=appearance.session, person=keep, role=appearance.role
                )
                if twin.exists():  # the kept person already spoke there in that role
                    ShockStress.objects.filter(named_by=appearance).update(named_by=twin.first())
                    appearance.delete()
                    continue
                appearance.person = keep
                appearance.save(update_fields=["person"])
                mark_event_changed(appearance.session.event_id)
                reversion.add_to_revision(appearance)
                moved += 1
            for model in (Document, Photo):
                for attachment in model.objects.filter(person=person):
                    attachment.person = keep
                    attachment.save(update_fields=["person"])
                    mark_event_changed(attachment.event_id)
                    reversion.add_to_revision(attachment)
                    moved += 1
            person.delete()
        reversion.add_to_revision(keep)
    return moved
