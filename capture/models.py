"""Live capture: links, the groups' sheets, the points written on them and every
revision of each point. None of these rows is public (see apps.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capture.tokens import token_for
from focus_areas.models import DiscussionGroup
from workshops.models import Event


class LinkKind(models.TextChoices):
    RAPPORTEUR = "rapporteur", _("Rapporteur")
    PLENARY = "plenary", _("Plenary screen")


class CaptureLinkQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class CaptureLink(models.Model):
    """A secret link: a rapporteur's (one group) or the plenary screen's (the event)."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="capture_links"
    )
    group = models.ForeignKey(
        DiscussionGroup,
        verbose_name=_("discussion group"),
        on_delete=models.CASCADE,
        related_name="capture_links",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    # The token is derived from the nonce (capture/tokens.py); only its digest is looked up.
    nonce = models.CharField(max_length=64, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CaptureLinkQuerySet.as_manager()

    class Meta:
        ordering = ("event", "kind", "group__number", "-created_at")
        verbose_name = _("capture link")
        verbose_name_plural = _("capture links")
        constraints = [
            models.UniqueConstraint(
                fields=["digest"],
                name="capturelink_unique_digest",
                violation_error_message=_("This link already exists; make a new one."),
            ),
            models.CheckConstraint(
                condition=Q(kind=LinkKind.RAPPORTEUR, group__isnull=False)
                | Q(kind=LinkKind.PLENARY, group__isnull=True),
                name="capturelink_group_iff_rapporteur",
                violation_error_message=_(
                    "A rapporteur link is for one group; a plenary link is for the whole event."
                ),
            ),
        ]

    def __str__(self):
        if self.kind == LinkKind.PLENARY:
            return _("Plenary screen of %(event)s") % {"event": self.event.title}
        return _("Rapporteur link of group %(number)s") % {"number": self.group.number}

    @property
    def token(self):
        return token_for(self.nonce)

    def get_absolute_url(self):
        from django.urls import reverse

        name = "capture:rapporteur" if self.kind == LinkKind.RAPPORTEUR else "capture:plenary"
        return reverse(name, kwargs={"token": self.token})

    def is_active(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class CaptureSheet(models.Model):
    """What one discussion group has captured. Its version counts every change; a
    change first writes this row, which makes the group's changes one at a time."""

    group = models.OneToOneField(
        DiscussionGroup,
        verbose_name=_("discussion group"),
        on_delete=models.CASCADE,
        related_name="capture_sheet",
    )
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="capture_sheets"
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    accepted_version = models.PositiveIntegerField(_("accepted version"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("event", "group__number")
        verbose_name = _("capture sheet")
        verbose_name_plural = _("capture sheets")

    def __str__(self):
        return str(self.group)


class CapturedPoint(models.Model):
    """A conclusion as written in the room; with a parent, a sub-point of it."""

    sheet = models.ForeignKey(
        CaptureSheet, verbose_name=_("capture sheet"), on_delete=models.CASCADE,
        related_name="points",
    )  # fmt: skip
    parent = models.ForeignKey(
        "self",
        verbose_name=_("sub-point of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_points",
    )
    order = models.IntegerField(_("order"))
    text = models.TextField(_("text"))
    # One more on every change of the text; a change based on another version is a conflict.
    version = models.PositiveIntegerField(_("version"), default=1)
    author = models.CharField(_("written by"), max_length=80)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    deleted_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    deleted_by = models.CharField(_("removed by"), max_length=80, blank=True)

    class Meta:
        ordering = ("sheet", "order", "id")
        verbose_name = _("captured point")
        verbose_name_plural = _("captured points")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="capturedpoint_not_own_parent",
                violation_error_message=_("A point cannot be a sub-point of itself."),
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def anchor(self):
        return f"butir-{self.pk}"


class RevisionAction(models.TextChoices):
    ADD = "add", _("added")
    EDIT = "edit", _("changed")
    MOVE = "move", _("moved")
    REMOVE = "remove", _("removed")
    RESTORE = "restore", _("restored")


class CapturedRevision(models.Model):
    """One change of a captured point, with who wrote it and when."""

    point = models.ForeignKey(
        CapturedPoint, verbose_name=_("captured point"), on_delete=models.CASCADE,
        related_name="revisions",
    )  # fmt: skip
    version = models.PositiveIntegerField(_("version"))
    action = models.CharField(_("change"), max_length=10, choices=RevisionAction.choices)
    text = models.TextField(_("text"))
    author = models.CharField(_("written by"), max_length=80)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ("point", "created_at", "id")
        verbose_name = _("revision of a captured point")
        verbose_name_plural = _("revisions of captured points")

    def __str__(self):
        return f"{self.get_action_display()} · {self.author} · {self.created_at:%H:%M:%S}"
