"""The search index: one row per searchable thing (an event, a speaker's key points, a
group's conclusion, a shock or stress, a person), with its text in both languages.

It is kept in step with the proceedings by model signals, in the same transaction as the
change (search_index/indexing.py), and rebuilt whole by `manage.py rebuild_search_index`.
On PostgreSQL a stored, generated `vector` column holds the text parsed with the
`indonesian` configuration for the Indonesian text and the `english` one for the English
text, under a GIN index; `Word` lists every word of the index under a trigram index, to
correct a misspelt query word. `public` says whether the entry may be found: its
event is published (a person: spoke at a published event); it follows publication and
withdrawal, and the vector's GIN index holds only public entries.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from workshops.models import Event, Person


class EntryKind(models.TextChoices):
    EVENT = "event", _("Events")
    KEY_POINT = "key_point", _("Key points")
    CONCLUSION = "conclusion", _("Conclusions")
    SHOCK_STRESS = "shock_stress", _("Shocks and stresses")
    PERSON = "person", _("People")


class Entry(models.Model):
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    object_id = models.BigIntegerField()
    # The event it belongs to (none for a person), for visibility and display.
    event = models.ForeignKey(Event, on_delete=models.CASCADE, null=True, related_name="+")
    # The person (a person's own entry, or the speaker of key points). A deleted
    # person's own entry is removed by a signal; key points move with their person.
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    title_ind = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    body_ind = models.TextField(blank=True)
    body_en = models.TextField(blank=True)
    # The page it opens, in each language.
    path_ind = models.CharField(max_length=500)
    path_en = models.CharField(max_length=500)
    date = models.DateField(null=True)
    public = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_object")
        ]
        indexes = [
            models.Index(
                fields=["kind", "-date", "id"],
                condition=models.Q(public=True),
                name="search_entry_public_kind_date",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class Word(models.Model):
    """A word that occurs in the index (lower case), to suggest for a misspelt one."""

    word = models.CharField(max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["word"], name="search_word_unique")]

    def __str__(self):
        return self.word
