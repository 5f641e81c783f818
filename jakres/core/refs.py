"""Stable public references for the parts of a proceedings.

A reference is generated once and never changes, so anchors and shared URLs
survive re-ordering and edits of other items. It also serves as the natural key
that fixtures and exports use instead of database ids.
"""

import secrets
from functools import lru_cache

from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.urls import get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jakres.core.constraints import ReadableConstraints

# No look-alike characters (0/o, 1/l/i), so a reference can be read aloud or typed.
REF_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
REF_LENGTH = 8


def new_ref() -> str:
    return "".join(secrets.choice(REF_ALPHABET) for _ in range(REF_LENGTH))


class RefQuerySet(models.QuerySet):
    def get_by_natural_key(self, ref):
        return self.get(ref=ref)


class RefModel(ReadableConstraints, models.Model):
    ref = models.SlugField(
        _("reference"),
        max_length=40,
        default=new_ref,
        editable=False,
        help_text=_("Stable identifier used in public links and in data exports."),
    )

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["ref"],
                name="%(app_label)s_%(class)s_unique_ref",
                violation_error_message=_(
                    "This row's reference is already taken: reload the page and save again."
                ),
            ),
        ]

    def natural_key(self):
        return (self.ref,)


_SLOT = "7777777"  # a valid slug, ref and number alike


@lru_cache(maxsize=128)
def _url_pattern(name, kwarg, language, urlconf):
    return reverse(name, kwargs={kwarg: _SLOT}, urlconf=urlconf)


def quick_reverse(name, kwarg, value):
    """reverse() for URLs with one slug, ref or number, built once per language.

    Pages list dozens of such links (every conclusion has one); formatting a cached
    pattern is much cheaper than resolving each one.
    """
    return _url_pattern(name, kwarg, get_language(), get_urlconf()).replace(_SLOT, str(value))


@receiver(setting_changed)
def _forget_url_patterns(**kwargs):
    _url_pattern.cache_clear()
